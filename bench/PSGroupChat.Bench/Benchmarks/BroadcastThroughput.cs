using System;
using System.Linq;
using System.Threading.Tasks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>
    /// Issue 6, benchmark 1: a 3-peer full mesh on loopback, one sender, every message delivered to both others, for
    /// raw TCP, NetMQ and PSGroupChat in the same process. The three take turns within each round, so a noisy moment
    /// of the machine hits all three alike, and each round's ratios compare figures measured side by side.
    /// </summary>
    internal static class BroadcastThroughput
    {
        public const int Peers = 3;

        public static string Title(int payloadBytes) => $"Broadcast throughput, {(payloadBytes >= 1024 ? $"{payloadBytes / 1024} KiB" : $"{payloadBytes} B")}";

        public static async Task RunAsync(BenchSettings settings, BenchReport report, Action<string> progress)
        {
            foreach (int payload in new[] { 64, 1024 })
            {
                string title = Title(payload);
                int window = settings.WindowMessages(payload);
                progress($"{title}: forming the three meshes");
                var meshes = new IBroadcastMesh[]
                {
                    RawTcpMesh.Create(Peers, payload),
                    NetMqMesh.Create(Peers, payload, window),
                    await ChatBroadcastMesh.CreateAsync(Peers, payload, window).ConfigureAwait(false),
                };
                try
                {
                    var counts = meshes.Select(m => Burst.Calibrate(m, settings.WarmupMessages, settings.ThroughputRun)).ToArray();
                    progress($"{title}: {string.Join(", ", meshes.Select((m, i) => $"{m.Name} {counts[i]:N0} messages per run"))}");
                    var rates = meshes.Select(m => report.Row(title, m.Name, "deliveries/s", 0)).ToArray();
                    var bytes = meshes.Select(m => report.Row(title, m.Name, "payload MB/s", 1)).ToArray();
                    var cpu = meshes.Select(m => report.Row(title, m.Name, "CPU µs per delivery", 3)).ToArray();
                    var allocated = meshes.Select(m => report.Row(title, m.Name, "allocated B per message", 0)).ToArray();
                    var versusRaw = report.Row(title, "PSGroupChat / raw TCP", "ratio", 3);
                    var versusNetMq = report.Row(title, "PSGroupChat / NetMQ", "ratio", 3);
                    var netMqVersusRaw = report.Row(title, "NetMQ / raw TCP", "ratio", 3);
                    for (int run = 0; run < settings.Runs; run++)
                    {
                        var outcomes = meshes.Select((m, i) => Burst.Run(m, counts[i])).ToArray();
                        for (int i = 0; i < meshes.Length; i++)
                        {
                            rates[i].Add(outcomes[i].DeliveriesPerSecond);
                            bytes[i].Add(outcomes[i].DeliveriesPerSecond * payload / 1e6);
                            cpu[i].Add(outcomes[i].Cpu.TotalMilliseconds * 1000 / outcomes[i].Deliveries);
                            allocated[i].Add(outcomes[i].AllocatedPerMessage);
                        }
                        versusRaw.Add(outcomes[2].DeliveriesPerSecond / outcomes[0].DeliveriesPerSecond);
                        versusNetMq.Add(outcomes[2].DeliveriesPerSecond / outcomes[1].DeliveriesPerSecond);
                        netMqVersusRaw.Add(outcomes[1].DeliveriesPerSecond / outcomes[0].DeliveriesPerSecond);
                        progress($"{title} run {run + 1}: " + string.Join(", ", meshes.Select((m, i) => $"{m.Name} {outcomes[i].DeliveriesPerSecond:N0}/s")));
                    }
                    var chat = (ChatBroadcastMesh)meshes[2];
                    if (chat.DroppedAtReceivers != 0) report.AddProblem($"{title}: PSGroupChat receivers dropped {chat.DroppedAtReceivers} inbox entries");
                    rates[0].Note ??= "TCP's own flow control paces the sender; 64 KiB batches, one write per batch per receiver";
                    rates[1].Note ??= $"PUB/SUB, window of {window:N0} messages in flight (a PUB socket drops past its high-water mark)";
                    rates[2].Note ??= $"Send() and inbox draining through the public API, window of {window:N0} messages in flight";
                }
                finally
                {
                    foreach (var mesh in meshes) mesh.Dispose();
                }
            }
        }
    }
}
