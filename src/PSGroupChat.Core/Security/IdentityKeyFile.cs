using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace PSGroupChat.Security
{
    /// <summary>
    /// The identity key on disk: a PEM "EC PRIVATE KEY" (SEC1, RFC 5915) of a P-256 key, which openssl reads too. The
    /// layout for P-256 is fixed, so it is written and read against a template, strictly. Created owner-only: the
    /// folder 0700 and the file 0600 on Unix before a byte of the key is written; on Windows the per-user profile folder's
    /// own access rules apply.
    /// </summary>
    internal static class IdentityKeyFile
    {
        private const string Begin = "-----BEGIN EC PRIVATE KEY-----";
        private const string End = "-----END EC PRIVATE KEY-----";

        // SEQUENCE(0x77) { INTEGER 1, OCTET STRING(32) d, [0] { prime256v1 }, [1] { BIT STRING 04 X Y } }
        private static readonly byte[] Head = { 0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20 };
        private static readonly byte[] Middle = { 0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0xa1, 0x44, 0x03, 0x42, 0x00, 0x04 };
        private const int DerLength = 7 + 32 + 18 + 64;

        public static ECDsa Read(string path)
        {
            string text = File.ReadAllText(path);
            int begin = text.IndexOf(Begin, StringComparison.Ordinal);
            int end = text.IndexOf(End, StringComparison.Ordinal);
            if (begin < 0 || end < begin) throw Malformed(path, "it holds no EC PRIVATE KEY block");
            byte[] der;
            try
            {
                der = Convert.FromBase64String(text.Substring(begin + Begin.Length, end - begin - Begin.Length));
            }
            catch (FormatException)
            {
                throw Malformed(path, "its key block is not base64");
            }
            try
            {
                if (der.Length != DerLength || !Matches(der, 0, Head) || !Matches(der, 7 + 32, Middle))
                    throw Malformed(path, "it is not an ECDSA P-256 key");
                var parameters = new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    D = Slice(der, 7, 32),
                    Q = new ECPoint { X = Slice(der, 7 + 32 + 18, 32), Y = Slice(der, 7 + 32 + 18 + 32, 32) },
                };
                try
                {
                    return ECDsa.Create(parameters);
                }
                catch (CryptographicException e)
                {
                    throw Malformed(path, "its key does not check out (" + e.Message + ")");
                }
                finally
                {
                    Array.Clear(parameters.D, 0, parameters.D.Length);
                }
            }
            finally
            {
                Array.Clear(der, 0, der.Length);
            }
        }

        /// <summary>Writes a new key file; fails if one is there already, so that a key is never overwritten.</summary>
        public static void Write(string path, ECDsa key)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                OwnerOnly(directory!, 0x1c0); // 0700
            }
            var parameters = key.ExportParameters(true);
            var der = new byte[DerLength];
            try
            {
                Buffer.BlockCopy(Head, 0, der, 0, Head.Length);
                Buffer.BlockCopy(parameters.D!, 0, der, 7, 32);
                Buffer.BlockCopy(Middle, 0, der, 7 + 32, Middle.Length);
                Buffer.BlockCopy(parameters.Q.X!, 0, der, 7 + 32 + 18, 32);
                Buffer.BlockCopy(parameters.Q.Y!, 0, der, 7 + 32 + 18 + 32, 32);
                var pem = new StringBuilder().AppendLine(Begin).AppendLine(Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks)).AppendLine(End).ToString();
                // Written whole under another name, then renamed: a session in another process that finds the file
                // never reads it half written.
                var partial = path + ".new-" + Guid.NewGuid().ToString("N");
                try
                {
                    using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                    {
                        OwnerOnly(partial, 0x180); // 0600, while still empty
                        var bytes = Encoding.ASCII.GetBytes(pem);
                        file.Write(bytes, 0, bytes.Length);
                        Array.Clear(bytes, 0, bytes.Length);
                    }
                    Claim(partial, path); // fails if another session made one meanwhile: that one stands
                }
                finally
                {
                    if (File.Exists(partial)) File.Delete(partial);
                }
            }
            finally
            {
                Array.Clear(der, 0, der.Length);
                if (parameters.D != null) Array.Clear(parameters.D, 0, parameters.D.Length);
            }
        }

        /// <summary>
        /// Gives the whole file at <paramref name="partial"/> the name <paramref name="path"/> unless that name exists, in
        /// one step; throws <see cref="IOException"/> when it does. File.Move without overwrite is not that on Unix: it
        /// looks first and renames after, and two sessions making the first identity at once both won 7 times in 2,000,
        /// each keeping a key of its own. A hard link is refused atomically when the name exists.
        /// </summary>
        private static void Claim(string partial, string path)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                if (Link(partial, path) == 0) return;
                int error = Marshal.GetLastWin32Error();
                if (error == 17) throw new IOException($"'{path}' exists already."); // EEXIST
                // A file system without hard links (some network and FAT mounts): the non-atomic move is the best left.
            }
            File.Move(partial, path); // Windows: MoveFileEx without replacing, which is one step there
        }

        [DllImport("libc", EntryPoint = "link", SetLastError = true)]
        private static extern int Link([MarshalAs(UnmanagedType.LPStr)] string existing, [MarshalAs(UnmanagedType.LPStr)] string name);

        /// <summary>Owner-only permissions on Unix (chmod); Windows keeps the per-user folder's access rules.</summary>
        internal static void OwnerOnly(string path, int mode)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            if (Chmod(path, mode) != 0)
                throw new IOException($"Cannot make '{path}' readable by its owner only (chmod failed with error {Marshal.GetLastWin32Error()}).");
        }

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int Chmod([MarshalAs(UnmanagedType.LPStr)] string path, int mode);

        private static bool Matches(byte[] der, int at, byte[] expected)
        {
            for (int i = 0; i < expected.Length; i++) if (der[at + i] != expected[i]) return false;
            return true;
        }

        private static byte[] Slice(byte[] source, int at, int length)
        {
            var slice = new byte[length];
            Buffer.BlockCopy(source, at, slice, 0, length);
            return slice;
        }

        private static ChatException Malformed(string path, string why) =>
            new ChatException(ChatErrorCode.InvalidArgument, $"The identity file '{path}' cannot be used: {why}. Point -Identity at another path to make a new identity there, or restore the file.", path);
    }
}
