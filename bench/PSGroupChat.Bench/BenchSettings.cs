using System;

namespace PSGroupChat.Bench
{
    /// <summary>
    /// How much of each benchmark to run. The quick mode keeps every benchmark and every row of the table but the
    /// 100- and 250-peer meshes', with fewer and shorter runs, so that it finishes in about a minute on a 2-core
    /// machine; the full mode is the one docs/performance.md reports.
    /// </summary>
    internal sealed class BenchSettings
    {
        public bool Quick { get; private set; }

        public string Mode => Quick ? "quick" : "full";

        public string? JsonPath { get; private set; }

        /// <summary>With --only, the one benchmark to run (for working on it); every benchmark runs otherwise.</summary>
        public string? Only { get; private set; }

        /// <summary>Measured runs per figure (after the warm-up); odd, so that the median is one of the runs.</summary>
        public int Runs => Quick ? 3 : 5;

        /// <summary>About how long one throughput run lasts; the message count is sized from the warm-up's rate.</summary>
        public TimeSpan ThroughputRun => Quick ? TimeSpan.FromSeconds(0.25) : TimeSpan.FromSeconds(1.5);

        /// <summary>Messages in the warm-up burst that also calibrates each system's run length.</summary>
        public int WarmupMessages => Quick ? 20_000 : 100_000;

        /// <summary>
        /// The most messages in flight between the sender and its slowest receiver, for PSGroupChat and NetMQ. Both need
        /// it: a PSGroupChat sender never blocks and disconnects a member whose queue overflows (65,536 frames or 16 MiB by
        /// default), and a NetMQ publisher drops messages past its high-water mark. Raw TCP needs none: its writes block.
        /// </summary>
        public int WindowMessages(int payloadBytes) => Math.Min(4096, (2 * 1024 * 1024) / payloadBytes);

        /// <summary>Latency: the steady send rate.</summary>
        public int LatencyRate => 1000;

        /// <summary>How long each latency run sends: paced, so it takes this long however idle the machine.</summary>
        public TimeSpan LatencyRun => Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(6);

        public int[] FanOutSizes => new[] { 2, 5, 10, 25, 50 };

        public TimeSpan FanOutRun => Quick ? TimeSpan.FromSeconds(0.2) : TimeSpan.FromSeconds(1);

        /// <summary>
        /// The meshes formed in this process with each kind of link, smallest first; the quick run leaves out 100 peers
        /// (a TLS mesh of them does not form within its limit today, a plaintext one takes seconds). The 250-peer mesh is
        /// not among them (<see cref="ProcessMeshSize"/>): in one process a full mesh of 250 holds 62,500 open files (250 ×
        /// 249 link-end sockets and 250 listeners), more while it forms, where this machine allows 20,000 (a hard limit;
        /// no CAP_SYS_RESOURCE to raise it). At the limit the .NET runtime cannot start a thread (pipe2 fails with EMFILE)
        /// and ends the process with "Out of memory." (SIGABRT): the "Out of memory" of 2026-12-01, reproduced with 50
        /// peers under ulimit -n 2000. Not the heap (312 MB resident at 18,000 open files), threads (16) or buffers. A
        /// 100-peer mesh peaks at about 17,000 open files here; a mesh that would not fit is not tried
        /// (Support/OpenFileLimit.cs).
        /// </summary>
        public int[] MeshSizes => Quick ? new[] { 10, 50 } : new[] { 10, 50, 100 };

        /// <summary>
        /// Issue 16's 250-peer mesh, formed across as many processes of this program as its sockets need under the
        /// open-file limit (Benchmarks/ProcessMeshFormation.cs), once per kind of link; the full run only, since starting
        /// the processes and forming the mesh take minutes, where the quick run has about one.
        /// </summary>
        public int? ProcessMeshSize => Quick ? null : 250;

        /// <summary>
        /// The longest the 250-peer mesh may take to form: its 31,125 connections, six times the 100-peer mesh's, on the
        /// 2-core machine where that one takes 3-5 s in plaintext and 13-15 s with TLS. With a 5 s heartbeat its TLS mesh
        /// had 52,978 of 62,250 link ends at 180 s (2026-12-01), about 3,200 more every 15 s.
        /// </summary>
        public TimeSpan ProcessMeshLimit => TimeSpan.FromSeconds(300);

        /// <summary>
        /// How long a formed mesh idles before its memory is measured: right after formation, gossip dials and
        /// duplicate handshakes are still finishing (measured 300 ms after, a 50-peer mesh showed 40-64 KiB per link end
        /// that were gone a few seconds later).
        /// </summary>
        public TimeSpan MeshSettle => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2);

        /// <summary>
        /// The longest a mesh may take to form before the run reports it as not formed (and forms no larger one of the
        /// same links): 12 times issue 16's 5 s and 6 times issue 15's 10 s in the full run. The quick run gives TLS
        /// meshes issue 15's 10 s only, to stay within about a minute.
        /// </summary>
        public TimeSpan MeshLimit(Systems.ChatLinks links) =>
            !Quick ? TimeSpan.FromSeconds(60) : links == Systems.ChatLinks.Tls ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(20);

        /// <summary>
        /// Formation runs per mesh size: forming and stopping 100 peers takes many seconds here, so fewer runs of it; the
        /// quick run forms each mesh but the smallest plaintext one once.
        /// </summary>
        public int MeshRuns(Systems.ChatLinks links, int size) => !Quick
            ? (size >= 100 ? 3 : 5)
            : (links == Systems.ChatLinks.Plaintext && size <= 10 ? 3 : 1);

        /// <summary>The cmdlet benchmark's message count: the 100,000 in both modes.</summary>
        public int CmdletMessages => 100_000;

        public int CmdletRuns => Quick ? 3 : 5;

        /// <summary>Slow consumer: messages the sender sends while one member never reads.</summary>
        public int SlowConsumerMessages => Quick ? 150_000 : 600_000;

        public int SlowConsumerRuns => Quick ? 1 : 3;

        public static BenchSettings Parse(string[] args)
        {
            var settings = new BenchSettings();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick":
                        settings.Quick = true;
                        break;
                    case "--json" when i + 1 < args.Length:
                        settings.JsonPath = args[++i];
                        break;
                    case "--only" when i + 1 < args.Length:
                        settings.Only = args[++i];
                        break;
                    case "--help":
                    case "-h":
                        throw new UsageException(null);
                    default:
                        throw new UsageException($"unknown argument '{args[i]}'");
                }
            }
            return settings;
        }
    }

    /// <summary>The command line was wrong (or help was asked for): print the usage and stop.</summary>
    internal sealed class UsageException : Exception
    {
        public const string Usage = "usage: dotnet run -c Release --project bench/PSGroupChat.Bench -- [--quick] [--json <file>] [--only <benchmark>]";

        public UsageException(string? problem) : base(problem ?? Usage) => Problem = problem;

        public string? Problem { get; }
    }
}
