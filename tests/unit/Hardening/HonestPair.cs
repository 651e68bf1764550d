using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// Two honest members, A and B, trading messages in the background while a test attacks A. Each message waits for
    /// the previous one to arrive, so a lost message stalls the exchange and fails the test by name.
    /// </summary>
    public sealed class HonestPair : IAsyncDisposable
    {
        private static readonly TimeSpan ArrivalLimit = TimeSpan.FromSeconds(30);
        private readonly ConcurrentQueue<string> _atA = new ConcurrentQueue<string>();
        private readonly ConcurrentQueue<string> _atB = new ConcurrentQueue<string>();
        private readonly SemaphoreSlim _arrived = new SemaphoreSlim(0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly string _padding;
        private Task _traffic = Task.CompletedTask;
        private int _rounds;

        private HonestPair(ChatSession a, ChatSession b, RecordingLoggerFactory logA, int textLength)
        {
            A = a;
            B = b;
            LogA = logA;
            _padding = new string('·', Math.Max(0, textLength - 12));
            A.MessageReceived += (_, e) => { if (e.Message.Sender == "honest-b") { _atA.Enqueue(e.Message.Text); _arrived.Release(); } };
            B.MessageReceived += (_, e) => { if (e.Message.Sender == "honest-a") { _atB.Enqueue(e.Message.Text); _arrived.Release(); } };
        }

        /// <summary>The member under attack.</summary>
        public ChatSession A { get; }

        /// <summary>Its honest partner.</summary>
        public ChatSession B { get; }

        /// <summary>Everything A logged.</summary>
        public RecordingLoggerFactory LogA { get; }

        /// <summary>How many round trips have completed.</summary>
        public int Rounds => Volatile.Read(ref _rounds);

        /// <summary>
        /// Starts A (as <paramref name="configureA"/> says) and B, links them and starts the exchange. With
        /// <paramref name="secret"/> both hold it; with <paramref name="jsonLogOfA"/> A also writes its JSON-lines log there.
        /// </summary>
        public static async Task<HonestPair> StartAsync(Action<ChatSessionOptions>? configureA = null, TimeProvider? time = null, int textLength = 24,
            byte[]? secret = null, string? jsonLogOfA = null, bool plaintext = false)
        {
            var logA = jsonLogOfA == null ? new RecordingLoggerFactory() : new RecordingLoggerFactory(false, new Logging.JsonLinesLoggerProvider(jsonLogOfA, "honest-a"));
            var optionsA = new ChatSessionOptions { UserName = "honest-a", ListenAddress = IPAddress.Loopback, LoggerFactory = logA, SharedSecret = secret, Plaintext = plaintext };
            if (time != null) optionsA.TimeProvider = time;
            configureA?.Invoke(optionsA);
            var a = ChatSession.Start(optionsA);
            ChatSession? b = null;
            try
            {
                var optionsB = new ChatSessionOptions { UserName = "honest-b", ListenAddress = IPAddress.Loopback, SharedSecret = secret, Plaintext = plaintext };
                if (time != null)
                {
                    optionsB.TimeProvider = time;
                    optionsB.HeartbeatInterval = optionsA.HeartbeatInterval;
                    optionsB.PeerTimeout = optionsA.PeerTimeout;
                }
                b = ChatSession.Start(optionsB);
                await b.ConnectAsync(new ChatEndpoint("127.0.0.1", a.Port));
                await Eventually.True(() => a.PeerCount == 1 && b.PeerCount == 1, "A and B linked");
                var pair = new HonestPair(a, b, logA, textLength);
                pair._traffic = pair.RunTrafficAsync();
                return pair;
            }
            catch
            {
                b?.Abort();
                a.Abort();
                throw;
            }
        }

        private async Task RunTrafficAsync()
        {
            for (int i = 1; !_stop.IsCancellationRequested; i++)
            {
                A.Send($"a{i} {_padding}");
                await ArrivalAsync(_atB, $"a{i} ", "B", i);
                B.Send($"b{i} {_padding}");
                await ArrivalAsync(_atA, $"b{i} ", "A", i);
                Interlocked.Increment(ref _rounds);
                // Paces the background load on a shared two-core machine; no assertion depends on how long this is.
                await Task.Delay(1);
            }
        }

        private async Task ArrivalAsync(ConcurrentQueue<string> inbox, string prefix, string who, int round)
        {
            var deadline = DateTime.UtcNow + ArrivalLimit;
            while (inbox.Count < round)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left)) throw new TimeoutException($"{who} never received the message starting '{prefix}' (round {round})");
            }
            Assert.StartsWith(prefix, inbox.ElementAt(round - 1));
        }

        /// <summary>
        /// Lets the exchange go on for <paramref name="moreRounds"/> more round trips (traffic goes on after the attack),
        /// stops it, and checks that each side received every message of the other, once, in order.
        /// </summary>
        public async Task StopAndVerifyAsync(int moreRounds = 10)
        {
            int target = Rounds + moreRounds;
            await Eventually.True(() => Rounds >= target || _traffic.IsCompleted, $"{moreRounds} more honest round trips (at {Rounds})", TimeSpan.FromSeconds(60));
            _stop.Cancel();
            await _traffic; // rethrows a stalled exchange
            int rounds = Rounds;
            Assert.True(rounds >= target, $"only {rounds} rounds");
            AssertExactly(_atB.ToArray(), "a", rounds);
            AssertExactly(_atA.ToArray(), "b", rounds);
            Assert.Equal(1, A.PeerCount(p => p.UserName == "honest-b"));
        }

        private static void AssertExactly(string[] received, string sender, int rounds)
        {
            // A round ends only when both of its messages arrived, and the exchange stops only between rounds.
            Assert.True(received.Length == rounds, $"{received.Length} messages from {sender} for {rounds} rounds");
            for (int i = 0; i < received.Length; i++) Assert.StartsWith($"{sender}{i + 1} ", received[i]);
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try { await _traffic; } catch (Exception) { /* already reported by StopAndVerifyAsync, or the test failed before it */ }
            await Task.WhenAll(A.StopAsync(), B.StopAsync());
        }
    }

    internal static class SessionTestExtensions
    {
        public static int PeerCount(this ChatSession session, Func<ChatPeer, bool> match) =>
            session.GetPeers().Count(p => p.State == PeerState.Connected && match(p));
    }
}
