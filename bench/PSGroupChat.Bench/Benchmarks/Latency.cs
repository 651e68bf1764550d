using System;
using System.Diagnostics;
using System.Threading.Tasks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Support;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>
    /// Issue 6, benchmark 2: one-way delivery time at a steady 1,000 messages per second (64 B) in a 3-peer mesh, from
    /// just before the send call to the moment the receiving application has the message, for both receivers of every
    /// message. For PSGroupChat (plaintext, and with TLS as its own rows) that moment is the MessageReceived event (what
    /// raw TCP's return from recv compares with), and, as a second row, the inbox drain that Receive-ChatMessage -Wait
    /// performs.
    /// </summary>
    internal static class Latency
    {
        public const string Title = "Latency at 1,000 msg/s, 64 B";
        private const int PayloadBytes = 64;

        /// <summary>The row of a PSGroupChat system's inbox drain, beside the row of its MessageReceived event.</summary>
        public static string ViaInbox(string system) => system + ", via the inbox";

        /// <summary>The System column of a system's p99 ratio to raw TCP's in the same round.</summary>
        public static string VersusRaw(string system) => system + " / raw TCP";

        public static async Task RunAsync(BenchSettings settings, BenchReport report, Action<string> progress)
        {
            progress($"{Title}: forming the meshes");
            using var raw = RawTcpMesh.Create(BroadcastThroughput.Peers, PayloadBytes);
            int window = settings.WindowMessages(PayloadBytes);
            using var chat = await ChatBroadcastMesh.CreateAsync(BroadcastThroughput.Peers, ChatLinks.Plaintext, PayloadBytes, window).ConfigureAwait(false);
            using var chatTls = await ChatBroadcastMesh.CreateAsync(BroadcastThroughput.Peers, ChatLinks.Tls, PayloadBytes, window).ConfigureAwait(false);
            var chats = new[] { chat, chatTls };
            int messages = (int)(settings.LatencyRate * settings.LatencyRun.TotalSeconds);

            // Warm-up: a short paced run of each, not recorded.
            TimedRun(raw, settings.LatencyRate / 2, settings.LatencyRate, null);
            foreach (var mesh in chats) TimedRun(mesh, settings.LatencyRate / 2, settings.LatencyRate, null);

            Measure(settings, report, progress, raw, chats, messages, "");
            // The same again while a competing process keeps one of the cores busy, for every system alike (issue 16).
            using (var busy = BusyCore.Start())
            {
                if (busy == null) report.AddProblem($"{Title}: no 'sh' to keep a core busy; the rows with one core busy are missing");
                else Measure(settings, report, progress, raw, chats, messages, BusySuffix);
            }
            var sample = report.Row(Title, raw.Name, "p99.9 µs", 1);
            sample.Note = $"{messages:N0} messages per run, each timed at both receivers: {2 * messages:N0} samples per run";
            report.Row(Title, raw.Name + BusySuffix, "p99 µs", 1).Note = "while another process (sh: while :; do :; done) keeps one of the cores busy for the whole run";
            foreach (var mesh in chats)
            {
                report.Row(Title, mesh.Name, "p50 µs", 1).Note = mesh.Links.Describe();
                if (mesh.DroppedAtReceivers != 0) report.AddProblem($"{Title}: {mesh.Name} receivers dropped {mesh.DroppedAtReceivers} inbox entries");
            }
        }

        /// <summary>What the rows measured with a competing process on one core add to each system's name.</summary>
        public const string BusySuffix = ", one core busy";

        private static void Measure(BenchSettings settings, BenchReport report, Action<string> progress, RawTcpMesh raw, ChatBroadcastMesh[] chats, int messages, string suffix)
        {
            for (int run = 0; run < settings.Runs; run++)
            {
                // The systems take turns within each round, so that a noisy moment of the machine hits all alike.
                var rawRun = TimedRun(raw, messages, settings.LatencyRate, null);
                Record(report, raw.Name + suffix, rawRun, sendRate: true);
                var line = $"{Title}{suffix} run {run + 1}: raw p99 {rawRun.P99:0.0} µs";
                foreach (var chat in chats)
                {
                    var inboxRecorder = new LatencyRecorder(messages, chat.Receivers.Count);
                    var chatRun = TimedRun(chat, messages, settings.LatencyRate, inboxRecorder);
                    var inboxRun = Summary.Of(inboxRecorder, chatRun.SendRate);
                    Record(report, chat.Name + suffix, chatRun, sendRate: true);
                    Record(report, ViaInbox(chat.Name) + suffix, inboxRun, sendRate: false);
                    report.Row(Title, VersusRaw(chat.Name) + suffix, "p99 ratio", 2).Add(chatRun.P99 / rawRun.P99);
                    line += $", {chat.Name} p99 {chatRun.P99:0.0} µs (via inbox {inboxRun.P99:0.0} µs)";
                }
                progress(line);
            }
        }

        private static void Record(BenchReport report, string system, Summary run, bool sendRate)
        {
            report.Row(Title, system, "p50 µs", 1).Add(run.P50);
            report.Row(Title, system, "p99 µs", 1).Add(run.P99);
            report.Row(Title, system, "p99.9 µs", 1).Add(run.P999);
            if (sendRate) report.Row(Title, system, "achieved send rate msg/s", 0).Add(run.SendRate);
        }

        private static Summary TimedRun(ILatencyMesh mesh, int messages, int rate, LatencyRecorder? inboxRecorder)
        {
            var recorder = new LatencyRecorder(messages, mesh.Receivers.Count);
            long expected = (long)messages * mesh.Receivers.Count;
            recorder.Arrivals.Expect(expected);
            inboxRecorder?.Arrivals.Expect(expected);
            if (inboxRecorder != null) ((ChatBroadcastMesh)mesh).RecordInboxTakes(inboxRecorder);
            mesh.BeginLatencyRun(recorder);
            var pacer = new Pacer(rate);
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < messages; i++)
            {
                pacer.WaitForTurn(i);
                mesh.SendTimed(i);
            }
            double sendRate = messages / Stopwatch.GetElapsedTime(start).TotalSeconds;
            var limit = TimeSpan.FromSeconds(30);
            bool arrived = recorder.Arrivals.WaitForTarget(limit) && (inboxRecorder == null || inboxRecorder.Arrivals.WaitForTarget(limit));
            mesh.EndLatencyRun();
            if (!arrived) throw new TimeoutException($"{mesh.Name}: not every message of a latency run arrived within {limit.TotalSeconds} s");
            return Summary.Of(recorder, sendRate);
        }

        private readonly struct Summary
        {
            private Summary(double p50, double p99, double p999, double sendRate)
            {
                P50 = p50;
                P99 = p99;
                P999 = p999;
                SendRate = sendRate;
            }

            public double P50 { get; }
            public double P99 { get; }
            public double P999 { get; }
            public double SendRate { get; }

            public static Summary Of(LatencyRecorder recorder, double sendRate)
            {
                var sorted = recorder.SortedMicroseconds();
                return new Summary(Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 99), Percentiles.Of(sorted, 99.9), sendRate);
            }
        }
    }
}
