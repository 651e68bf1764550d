using System;

namespace PSGroupChat.Bench
{
    /// <summary>
    /// How much of each benchmark to run. The quick mode keeps every benchmark and every row of the table, with fewer and
    /// shorter runs, so that it finishes in under a minute on a 2-core machine; the full mode is the one docs/performance.md
    /// reports.
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
        /// it: a PSGroupChat sender never blocks and disconnects a member whose queue overflows (8,192 frames or 4 MiB by
        /// default), and a NetMQ publisher drops messages past its high-water mark. Raw TCP needs none: its writes block.
        /// </summary>
        public int WindowMessages(int payloadBytes) => Math.Min(4096, (2 * 1024 * 1024) / payloadBytes);

        /// <summary>Latency: the steady send rate and how long each run sends at it.</summary>
        public int LatencyRate => 1000;

        public TimeSpan LatencyRun => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(6);

        public int[] FanOutSizes => new[] { 2, 5, 10, 25, 50 };

        public TimeSpan FanOutRun => Quick ? TimeSpan.FromSeconds(0.2) : TimeSpan.FromSeconds(1);

        /// <summary>
        /// A 250-peer mesh is not in the run: in one process here it ended the benchmark with "Out of memory" (2026-12-01,
        /// docs/performance.md), which would cost every later figure.
        /// </summary>
        public int[] MeshSizes => new[] { 10, 50, 100 };

        /// <summary>
        /// How long a formed mesh idles before its memory is measured: right after formation, gossip dials and
        /// duplicate handshakes are still finishing (measured 300 ms after, a 50-peer mesh showed 40-64 KiB per link end
        /// that were gone a few seconds later).
        /// </summary>
        public TimeSpan MeshSettle => Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2);

        /// <summary>The longest a mesh may take to form before the run reports it as not formed.</summary>
        public TimeSpan MeshLimit => Quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(180);

        /// <summary>Formation runs per mesh size: forming and stopping 100 peers takes many seconds here, so fewer runs of it.</summary>
        public int MeshRuns(int size) => size >= 250 ? 1 : size >= 100 ? (Quick ? 1 : 3) : (Quick ? 3 : 5);

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
