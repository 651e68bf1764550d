using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Support;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>
    /// Issue 6, benchmark 6: a 3-peer mesh in which one member stops reading. Its application blocks inside its
    /// MessageReceived handler, which runs on the link's reader loop, so that link reads nothing more, exactly like a
    /// frozen process: TCP fills, then the sender's bounded queue for it. The same burst is sent twice, first with all
    /// members reading (healthy), then with the one stalled; what is compared is the other receiver's throughput and
    /// the growth of the managed heap (sampled every 5 ms against a settled baseline) during each burst. The links are
    /// plaintext, named so rather than left to the engine's TLS default: what is under test is the send queue's bound.
    /// </summary>
    internal static class SlowConsumer
    {
        public const string Title = "Slow consumer, 64 B";
        private const int PayloadBytes = 64;
        private const ChatLinks Links = ChatLinks.Plaintext;

        /// <summary>A msg frame's bytes besides its text, length prefix included (protocol 2, docs/protocol.md).</summary>
        private const long FrameOverhead = 40;

        public static async Task RunAsync(BenchSettings settings, BenchReport report, Action<string> progress)
        {
            int messages = settings.SlowConsumerMessages;
            var healthyRate = report.Row(Title, "healthy mesh", "other receiver deliveries/s", 0);
            var stalledRate = report.Row(Title, "one member stalled", "other receiver deliveries/s", 0);
            var ratio = report.Row(Title, "stalled / healthy", "other receiver throughput ratio", 2);
            var healthyHeap = report.Row(Title, "healthy mesh", "peak managed heap growth MiB", 1);
            var stalledHeap = report.Row(Title, "one member stalled", "peak managed heap growth MiB", 1);
            var dropped = report.Row(Title, "one member stalled", "stalled member disconnected after ms", 0);
            for (int run = 0; run < settings.SlowConsumerRuns; run++)
            {
                var outcome = await RunOnceAsync(messages).ConfigureAwait(false);
                healthyRate.Add(outcome.HealthyRate);
                stalledRate.Add(outcome.StalledRate);
                ratio.Add(outcome.StalledRate / outcome.HealthyRate);
                healthyHeap.Add(outcome.HealthyHeapGrowth / 1048576.0);
                stalledHeap.Add(outcome.StalledHeapGrowth / 1048576.0);
                if (outcome.DisconnectedAfter is TimeSpan after) dropped.Add(after.TotalMilliseconds);
                else report.AddProblem($"{Title} run {run + 1}: the stalled member was never disconnected");
                progress($"{Title} run {run + 1}: healthy {outcome.HealthyRate:N0}/s, stalled {outcome.StalledRate:N0}/s, heap growth " +
                    $"{outcome.HealthyHeapGrowth / 1048576.0:0.0} / {outcome.StalledHeapGrowth / 1048576.0:0.0} MiB, disconnected after {outcome.DisconnectedAfter?.TotalMilliseconds:N0} ms");
            }
            healthyRate.Note = Links.Describe();
            stalledHeap.Note = $"{messages:N0} messages sent while the member was stalled: an unbounded queue for it would have grown by about " +
                $"{messages * (PayloadBytes + FrameOverhead) / 1048576.0:N0} MiB; the bound is {new ChatSessionOptions().SendQueueBytes / 1048576} MiB or {new ChatSessionOptions().SendQueueCapacity:N0} frames";
        }

        private sealed class Outcome
        {
            public double HealthyRate;
            public double StalledRate;
            public long HealthyHeapGrowth;
            public long StalledHeapGrowth;
            public TimeSpan? DisconnectedAfter;
        }

        private static async Task<Outcome> RunOnceAsync(int messages)
        {
            var stall = new ManualResetEventSlim(true); // reset = the stalled member's handler blocks
            var mesh = await ChatMesh.FormAsync(3, Links, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var sender = mesh.Peers[0];
            var stalled = mesh.Peers[2];
            stalled.MessageReceived += (_, _) => stall.Wait();
            var text = new string('s', PayloadBytes);
            var window = new SendWindow(4096);
            var other = new InboxDrain(mesh.Peers[1], 0, window.Progress);
            var slow = new InboxDrain(stalled, 1, window.Progress);
            var outcome = new Outcome();
            long sent = 0;
            try
            {
                // Healthy: both receivers read, and the window follows both.
                window.Follow(new[] { other.Counter, slow.Counter });
                SendPaced(sender, text, window, 20_000, ref sent, other.Counter); // warm-up
                (outcome.HealthyRate, outcome.HealthyHeapGrowth) = Measure(sender, text, window, messages, ref sent, other.Counter);

                // Stalled: the member's handler blocks from its next message on; the window follows the other member only.
                long stallStart = 0, disconnectedAt = 0;
                sender.PeerLeft += (_, e) =>
                {
                    if (e.Message.Sender == stalled.UserName && e.Message.Text.StartsWith("slow consumer", StringComparison.Ordinal))
                        Interlocked.CompareExchange(ref disconnectedAt, Stopwatch.GetTimestamp(), 0);
                };
                stall.Reset();
                window.Follow(new[] { other.Counter });
                stallStart = Stopwatch.GetTimestamp();
                (outcome.StalledRate, outcome.StalledHeapGrowth) = Measure(sender, text, window, messages, ref sent, other.Counter);
                long at = Interlocked.Read(ref disconnectedAt);
                if (at != 0) outcome.DisconnectedAfter = Stopwatch.GetElapsedTime(stallStart, at);
            }
            finally
            {
                stall.Set();
                await mesh.DisposeAsync().ConfigureAwait(false);
            }
            return outcome;
        }

        private static (double Rate, long HeapGrowth) Measure(ChatSession sender, string text, SendWindow window, int messages, ref long sent, DeliveryCounter other)
        {
            long baseline = ManagedMemory.Settled();
            long peak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = new Thread(() =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    long now = ManagedMemory.Now();
                    if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                    Thread.Sleep(5);
                }
            }) { IsBackground = true };
            sampler.Start();
            long start = Stopwatch.GetTimestamp();
            SendPaced(sender, text, window, messages, ref sent, other);
            var elapsed = Stopwatch.GetElapsedTime(start);
            sampling.Cancel();
            sampler.Join();
            return (messages / elapsed.TotalSeconds, Interlocked.Read(ref peak) - baseline);
        }

        private static void SendPaced(ChatSession sender, string text, SendWindow window, int messages, ref long sent, DeliveryCounter other)
        {
            other.Expect(other.Count + messages);
            for (int i = 0; i < messages; i++)
            {
                window.WaitForRoom(sent);
                sender.Send(text);
                sent++;
            }
            if (!other.WaitForTarget(TimeSpan.FromSeconds(120))) throw new TimeoutException("the reading member did not receive every message");
        }
    }
}
