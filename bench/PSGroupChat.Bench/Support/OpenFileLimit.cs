using System;
using System.IO;
using System.Linq;

namespace PSGroupChat.Bench.Support
{
    /// <summary>
    /// How many files (sockets included) a process may have open, against what the mesh peers it hosts need. Every peer
    /// holds a socket per link end in the process that hosts it; at the limit the .NET runtime cannot start a thread (its
    /// pipe2 fails with EMFILE) and ends the whole process with "Out of memory." (SIGABRT), every figure lost with it.
    /// So a mesh is formed in this process only when it fits, and a larger one across as many processes as it needs.
    /// </summary>
    internal static class OpenFileLimit
    {
        /// <summary>
        /// The soft limit (RLIMIT_NOFILE, which .NET raises to the hard one at start-up), from /proc/self/limits; null
        /// where that file does not say (not Linux), and then no mesh is held back.
        /// </summary>
        public static long? Current()
        {
            const string path = "/proc/self/limits";
            if (!File.Exists(path)) return null;
            var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?.Substring("Max open files".Length).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, out long limit) ? limit : null; // "unlimited" does not parse: no bound
        }

        /// <summary>The open files of a full mesh of <paramref name="peers"/>: a socket per link end, a listener per peer.</summary>
        public static long HeldByMesh(int peers) => (long)peers * (peers - 1) + peers;

        /// <summary>
        /// What a process hosting <paramref name="peers"/> of a mesh of <paramref name="meshSize"/> may need at its peak:
        /// duplicate connections (both ends dialling) are open while it forms, 1.65 to 1.75 times the full mesh's sockets
        /// for 100 peers in one process (17,424 open files at most against 10,100 once full, sampled every 0.3 s); 1.8
        /// times, and room for the rest of the process.
        /// </summary>
        public static long NeededToForm(int peers, int meshSize) => (long)Math.Ceiling(1.8 * peers * (meshSize - 1)) + peers + 256;

        /// <summary>Why a mesh of <paramref name="peers"/> cannot be formed in this process, or null when it can be tried.</summary>
        public static string? TooFewFor(int peers)
        {
            long? limit = Current();
            if (limit == null || NeededToForm(peers, peers) <= limit) return null;
            return $"a full mesh of {peers} peers in one process holds {HeldByMesh(peers):N0} open files (up to about {NeededToForm(peers, peers):N0} while it forms), " +
                $"and this process may open {limit:N0} (ulimit -n; .NET raised it to the hard limit already); at the limit the runtime ends the process with \"Out of memory.\"";
        }

        /// <summary>
        /// The fewest processes (each of them this program, under the same limit) whose shares of a mesh of
        /// <paramref name="peers"/> each fit; null when not even one peer per process would. One where the limit is not
        /// known.
        /// </summary>
        public static int? ProcessesFor(int peers)
        {
            long? limit = Current();
            if (limit == null) return 1;
            for (int processes = 1; processes <= peers; processes++)
            {
                if (NeededToForm((peers + processes - 1) / processes, peers) <= limit) return processes;
            }
            return null;
        }
    }
}
