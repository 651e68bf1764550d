using System;
using System.Linq;
using System.Threading.Tasks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>
    /// Issue 6, benchmark 1, with issue 15's encrypted row: a 3-peer full mesh on loopback, one sender, every message
    /// delivered to both others, for raw TCP, NetMQ, PSGroupChat in plaintext and PSGroupChat with TLS in the same
    /// process. The four take turns within each round, so a noisy moment of the machine hits all alike, and each
    /// round's ratios compare figures measured side by side.
    /// </summary>
    internal static class BroadcastThroughput
    {
        public const int Peers = 3;

        public static readonly string Chat = ChatLinks.Plaintext.SystemName();
        public static readonly string ChatTls = ChatLinks.Tls.SystemName();

        public static string Title(int payloadBytes) => $"Broadcast throughput, {(payloadBytes >= 1024 ? $"{payloadBytes / 1024} KiB" : $"{payloadBytes} B")}";

        /// <summary>The System column of a ratio row: <paramref name="numerator"/>'s rate over <paramref name="denominator"/>'s.</summary>
        public static string Ratio(string numerator, string denominator) => $"{numerator} / {denominator}";

        /// <summary>The denominator's name in the TLS / plaintext ratio row.</summary>
        public const string PlaintextDenominator = "PSGroupChat (plaintext)";

        // The meshes' places in each round, and so in the ratios.
        private const int Raw = 0, NetMq = 1, Plain = 2, Tls = 3;

        public static async Task RunAsync(BenchSettings settings, BenchReport report, Action<string> progress)
        {
            foreach (int payload in new[] { 64, 1024 })
            {
                string title = Title(payload);
                int window = settings.WindowMessages(payload);
                progress($"{title}: forming the four meshes");
                var meshes = new IBroadcastMesh?[4];
                try
                {
                    meshes[Raw] = RawTcpMesh.Create(Peers, payload);
                    meshes[NetMq] = NetMqMesh.Create(Peers, payload, window);
                    meshes[Plain] = await ChatBroadcastMesh.CreateAsync(Peers, ChatLinks.Plaintext, payload, window).ConfigureAwait(false);
                    meshes[Tls] = await ChatBroadcastMesh.CreateAsync(Peers, ChatLinks.Tls, payload, window).ConfigureAwait(false);
                    Measure(settings, report, progress, meshes!, title, payload, window);
                }
                finally
                {
                    foreach (var mesh in meshes) mesh?.Dispose();
                }
            }
        }

        private static void Measure(BenchSettings settings, BenchReport report, Action<string> progress, IBroadcastMesh[] meshes, string title, int payload, int window)
        {
            var counts = meshes.Select(m => Burst.Calibrate(m, settings.WarmupMessages, settings.ThroughputRun)).ToArray();
            progress($"{title}: {string.Join(", ", meshes.Select((m, i) => $"{m.Name} {counts[i]:N0} messages per run"))}");
            var rates = meshes.Select(m => report.Row(title, m.Name, "deliveries/s", 0)).ToArray();
            var bytes = meshes.Select(m => report.Row(title, m.Name, "payload MB/s", 1)).ToArray();
            var cpu = meshes.Select(m => report.Row(title, m.Name, "CPU µs per delivery", 3)).ToArray();
            var allocated = meshes.Select(m => report.Row(title, m.Name, "allocated B per message", 0)).ToArray();
            var ratios = new (int Numerator, int Denominator, Measurement Row)[]
            {
                (Plain, NetMq, report.Row(title, Ratio(Chat, "NetMQ"), "ratio", 3)),
                (Plain, Raw, report.Row(title, Ratio(Chat, "raw TCP"), "ratio", 3)),
                (Tls, NetMq, report.Row(title, Ratio(ChatTls, "NetMQ"), "ratio", 3)),
                (Tls, Raw, report.Row(title, Ratio(ChatTls, "raw TCP"), "ratio", 3)),
                (Tls, Plain, report.Row(title, Ratio(ChatTls, PlaintextDenominator), "ratio", 3)),
                (NetMq, Raw, report.Row(title, Ratio("NetMQ", "raw TCP"), "ratio", 3)),
            };
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
                foreach (var (numerator, denominator, row) in ratios)
                    row.Add(outcomes[numerator].DeliveriesPerSecond / outcomes[denominator].DeliveriesPerSecond);
                progress($"{title} run {run + 1}: " + string.Join(", ", meshes.Select((m, i) => $"{m.Name} {outcomes[i].DeliveriesPerSecond:N0}/s")));
            }
            foreach (var chat in meshes.OfType<ChatBroadcastMesh>())
            {
                if (chat.DroppedAtReceivers != 0) report.AddProblem($"{title}: {chat.Name} receivers dropped {chat.DroppedAtReceivers} inbox entries");
            }
            rates[Raw].Note ??= "TCP's own flow control paces the sender; 64 KiB batches, one write per batch per receiver";
            rates[NetMq].Note ??= $"PUB/SUB, window of {window:N0} messages in flight (a PUB socket drops past its high-water mark)";
            rates[Plain].Note ??= $"{ChatLinks.Plaintext.Describe()}; Send() and inbox draining through the public API, window of {window:N0} messages in flight";
            rates[Tls].Note ??= $"{ChatLinks.Tls.Describe()}; otherwise as {Chat}";
        }
    }
}
