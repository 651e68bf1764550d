using System;
using System.Threading.Tasks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>
    /// Issue 6, benchmark 3: what one broadcast costs as the mesh grows. One sender, 64 B messages, meshes of 2 to 50
    /// PSGroupChat peers in this process; CPU per delivery is the whole process's CPU time (sender, every receiver and
    /// every I/O loop) divided by the deliveries. The links are plaintext (named, not left to the engine's default):
    /// this is about how the cost grows with the mesh, which the throughput benchmark's TLS row prices at one size.
    /// </summary>
    internal static class FanOut
    {
        public const string Title = "Fan-out, 64 B";
        private const int PayloadBytes = 64;
        private const ChatLinks Links = ChatLinks.Plaintext;

        public static string System(int peers) => $"PSGroupChat, {peers} peers";

        public static async Task RunAsync(BenchSettings settings, BenchReport report, Action<string> progress)
        {
            foreach (int peers in settings.FanOutSizes)
            {
                progress($"{Title}: forming a mesh of {peers}");
                using var mesh = await ChatBroadcastMesh.CreateAsync(peers, Links, PayloadBytes, settings.WindowMessages(PayloadBytes)).ConfigureAwait(false);
                int warmup = Math.Max(2_000, settings.WarmupMessages * 2 / (peers - 1));
                int messages = Burst.Calibrate(mesh, warmup, settings.FanOutRun);
                var deliveries = report.Row(Title, System(peers), "deliveries/s", 0);
                var sent = report.Row(Title, System(peers), "messages sent/s", 0);
                var cpu = report.Row(Title, System(peers), "CPU µs per delivery", 2);
                var allocated = report.Row(Title, System(peers), "allocated B per delivery", 0);
                for (int run = 0; run < settings.Runs; run++)
                {
                    var outcome = Burst.Run(mesh, messages);
                    deliveries.Add(outcome.DeliveriesPerSecond);
                    sent.Add(outcome.MessagesPerSecond);
                    cpu.Add(outcome.Cpu.TotalMilliseconds * 1000 / outcome.Deliveries);
                    allocated.Add((double)outcome.Allocated / outcome.Deliveries);
                }
                deliveries.Note = Links.Describe();
                progress($"{Title}, {peers} peers: {deliveries.Median:N0} deliveries/s, {cpu.Median:0.00} CPU µs per delivery");
                if (mesh.DroppedAtReceivers != 0) report.AddProblem($"{Title}, {peers} peers: receivers dropped {mesh.DroppedAtReceivers} inbox entries");
            }
        }
    }
}
