using System;
using System.Diagnostics;
using System.Linq;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>One timed burst: from the first send until every receiver has the last message.</summary>
    internal static class Burst
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

        public readonly struct Outcome
        {
            public Outcome(int messages, long deliveries, TimeSpan elapsed, TimeSpan cpu, long allocated)
            {
                Allocated = allocated;
                Messages = messages;
                Deliveries = deliveries;
                Elapsed = elapsed;
                Cpu = cpu;
            }

            public int Messages { get; }
            public long Deliveries { get; }
            public TimeSpan Elapsed { get; }

            /// <summary>CPU time the whole process used meanwhile: sender, receivers and every I/O thread.</summary>
            public TimeSpan Cpu { get; }

            /// <summary>Bytes the whole process allocated on the managed heap meanwhile.</summary>
            public long Allocated { get; }

            public double AllocatedPerMessage => (double)Allocated / Messages;

            public double DeliveriesPerSecond => Deliveries / Elapsed.TotalSeconds;

            public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;
        }

        public static Outcome Run(IBroadcastMesh mesh, int messages)
        {
            foreach (var receiver in mesh.Receivers) receiver.Expect(receiver.Count + messages);
            var cpu = Environment.CpuUsage.TotalTime;
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            mesh.SendBurst(messages);
            foreach (var receiver in mesh.Receivers)
            {
                if (!receiver.WaitForTarget(Limit))
                    throw new TimeoutException($"a receiver did not get a burst of {messages} messages within {Limit.TotalSeconds} s ({Describe(mesh)})");
            }
            var elapsed = Stopwatch.GetElapsedTime(start);
            return new Outcome(messages, (long)messages * mesh.Receivers.Count, elapsed, Environment.CpuUsage.TotalTime - cpu,
                GC.GetTotalAllocatedBytes(precise: true) - allocated);
        }

        /// <summary>
        /// Warms the mesh up (JIT, pools, TCP windows) with <paramref name="warmupMessages"/>, then returns how many
        /// messages make a run of about <paramref name="runLength"/> at the rate the warm-up showed.
        /// </summary>
        public static int Calibrate(IBroadcastMesh mesh, int warmupMessages, TimeSpan runLength)
        {
            Run(mesh, warmupMessages / 4);
            var warm = Run(mesh, warmupMessages);
            double perSecond = warm.MessagesPerSecond;
            return (int)Math.Clamp(perSecond * runLength.TotalSeconds, 5_000, 200_000_000);
        }

        public static string Describe(IBroadcastMesh mesh) =>
            $"{mesh.Name}, {mesh.Receivers.Count + 1} peers, {mesh.PayloadBytes} B, counts {string.Join("/", mesh.Receivers.Select(r => r.Count))}";
    }
}
