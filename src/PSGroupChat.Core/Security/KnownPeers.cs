using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PSGroupChat.Security
{
    /// <summary>What the known-peers file says about a member's name and the key it presented.</summary>
    internal enum KeyVerdict
    {
        /// <summary>The name was not known: its key is recorded now (trust on first use).</summary>
        FirstSight,

        /// <summary>The name is known with this very key.</summary>
        Known,

        /// <summary>The name is known with another key: refused until the user accepts the new key deliberately.</summary>
        Changed,
    }

    /// <summary>
    /// Trust on first use, as ssh's known_hosts: a text file, one line per user name, <c>name SHA256:…</c>, next to the
    /// identity. A name seen for the first time is recorded with its key; a name that comes back with another key is
    /// refused. Reread before every decision, so that sessions in other processes sharing the file see the same record.
    /// </summary>
    public sealed class KnownPeers
    {
        /// <summary>The file name of the known-peers file beside the identity.</summary>
        public const string FileName = "known_peers";

        private static readonly object FileGate = new object(); // sessions of one process share the file

        /// <summary>Uses (and creates when needed) the file at <paramref name="path"/>.</summary>
        public KnownPeers(string path) => Path = System.IO.Path.GetFullPath(path);

        /// <summary>The known-peers file.</summary>
        public string Path { get; }

        /// <summary>The known-peers file beside an identity key file.</summary>
        public static KnownPeers Beside(string identityPath) =>
            new KnownPeers(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(identityPath)) ?? ".", FileName));

        /// <summary>The recorded fingerprint of <paramref name="userName"/>, or null.</summary>
        public string? Find(string userName)
        {
            lock (FileGate) return Read().TryGetValue(userName, out var fingerprint) ? fingerprint : null;
        }

        /// <summary>Checks a member's key against the record, recording it when the name is new.</summary>
        internal KeyVerdict Check(string userName, string fingerprint, out string? recorded)
        {
            lock (FileGate)
            {
                var entries = Read();
                if (entries.TryGetValue(userName, out recorded))
                    return string.Equals(recorded, fingerprint, StringComparison.Ordinal) ? KeyVerdict.Known : KeyVerdict.Changed;
                EnsureFolder();
                bool created = !File.Exists(Path);
                File.AppendAllText(Path, userName + " " + fingerprint + "\n", new UTF8Encoding(false));
                if (created) IdentityKeyFile.OwnerOnly(Path, 0x180);
                return KeyVerdict.FirstSight;
            }
        }

        /// <summary>Forgets the key recorded for <paramref name="userName"/>: its next key is taken as at first sight. True if there was one.</summary>
        public bool Forget(string userName)
        {
            lock (FileGate)
            {
                if (!File.Exists(Path)) return false;
                var kept = new StringBuilder();
                bool found = false;
                foreach (var line in File.ReadAllLines(Path))
                {
                    var entry = Parse(line);
                    if (entry != null && ChatLimits.SameName(entry.Value.Name, userName)) found = true;
                    else kept.Append(line).Append('\n');
                }
                if (found) File.WriteAllText(Path, kept.ToString(), new UTF8Encoding(false));
                return found;
            }
        }

        private Dictionary<string, string> Read()
        {
            var entries = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (!File.Exists(Path)) return entries;
            foreach (var line in File.ReadAllLines(Path))
            {
                var entry = Parse(line);
                if (entry != null && !entries.ContainsKey(entry.Value.Name)) entries[entry.Value.Name] = entry.Value.Fingerprint;
            }
            return entries;
        }

        // A line that is not "name fingerprint" (a comment, a hand edit gone wrong) is skipped, never fatal.
        private static (string Name, string Fingerprint)? Parse(string line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#') return null;
            var parts = trimmed.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || ChatLimits.UserNameProblem(parts[0]) != null || !KeyFingerprint.TryParse(parts[1], out var bytes)) return null;
            return (parts[0], KeyFingerprint.Format(bytes));
        }

        private void EnsureFolder()
        {
            var folder = System.IO.Path.GetDirectoryName(Path);
            if (string.IsNullOrEmpty(folder) || Directory.Exists(folder)) return;
            Directory.CreateDirectory(folder);
            IdentityKeyFile.OwnerOnly(folder!, 0x1c0);
        }
    }
}
