using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using PSGroupChat.Tests.Protocol;
using Xunit;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// Hostile clients against a running member (A) while A and an honest partner (B) trade messages: each attack
    /// costs the attacker its connection and costs the honest members nothing.
    /// </summary>
    public class HostileClientTests
    {
        /// <summary>Options for a member on a fake clock that only the handshake deadline is meant to feel.</summary>
        private static void QuietClock(ChatSessionOptions o)
        {
            o.HeartbeatInterval = TimeSpan.FromMinutes(1);
            o.PeerTimeout = TimeSpan.FromMinutes(10);
        }

        private static bool From(LoggedEvent e, RawChatClient client) => e["remote"]?.EndsWith(":" + client.LocalPort) == true;

        private static async Task AssertClosedAtTheDeadlineAsync(HonestPair pair, RawChatClient client)
        {
            Assert.Null(await client.ReadFrameAsync());
            var failed = await pair.LogA.WaitForAsync(e => e.Event == "HandshakeFailed" && From(e, client), $"A logs why it closed {client.UserName}");
            Assert.Equal("no complete handshake within 5 s", failed["reason"]);
        }

        [Fact]
        public async Task AClientThatSendsNothingIsClosedAtTheHandshakeDeadline()
        {
            // The documented default (docs/security.md); the session below runs with it.
            Assert.Equal(TimeSpan.FromSeconds(5), ChatSessionOptions.DefaultHandshakeTimeout);
            Assert.Equal(ChatSessionOptions.DefaultHandshakeTimeout, new ChatSessionOptions().HandshakeTimeout);
            var time = new FakeTimeProvider();
            await using var pair = await HonestPair.StartAsync(QuietClock, time);

            using var silent = await RawChatClient.ConnectAsync(pair.A.Port, "silent");
            // A sends its hello as soon as its handshake (and so its deadline) has started.
            Assert.Equal("hello", RawChatClient.Type((await silent.ReadFrameAsync())!.Value));

            time.Advance(ChatSessionOptions.DefaultHandshakeTimeout - TimeSpan.FromMilliseconds(1));
            Assert.False(silent.IsReadable, "closed before the deadline");
            time.Advance(TimeSpan.FromMilliseconds(1));
            await AssertClosedAtTheDeadlineAsync(pair, silent);
            await pair.StopAndVerifyAsync();
        }

        [Fact]
        public async Task ASlowLorisIsClosedAtTheSameDeadlineHoweverLongItKeepsSending()
        {
            var time = new FakeTimeProvider();
            await using var pair = await HonestPair.StartAsync(QuietClock, time);

            using var loris = await RawChatClient.ConnectAsync(pair.A.Port, "loris");
            Assert.Equal("hello", RawChatClient.Type((await loris.ReadFrameAsync())!.Value));
            var hello = RawChatClient.Frame(loris.HelloJson());
            int second = 0;
            while (second < 5)
            {
                // One byte a second: each one arrives well inside any per-read timeout, so only a whole-handshake deadline stops it.
                await loris.SendAsync(hello.AsSpan(second, 1).ToArray());
                Assert.False(loris.IsReadable, $"closed after {second} s, before the deadline");
                time.Advance(TimeSpan.FromSeconds(1));
                second++;
            }
            await AssertClosedAtTheDeadlineAsync(pair, loris);
            await pair.StopAndVerifyAsync();
        }

        [Fact]
        public async Task GarbageAfterAValidHandshakeClosesThatLinkOnlyWithALoggedReason()
        {
            await using var pair = await HonestPair.StartAsync();
            using var client = await RawChatClient.ConnectAsync(pair.A.Port, "garbage");
            Assert.Equal("joined", await client.JoinAsync());
            await pair.LogA.WaitForAsync(e => e.Event == "PeerJoined" && e["peer"] == "garbage", "the client joins A");

            await client.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: chat\r\n\r\n"));
            await client.ReadUntilClosedAsync();

            var closed = await pair.LogA.WaitForAsync(e => e.Event == "ConnectionClosed" && From(e, client), "A logs why it closed the link");
            Assert.StartsWith("protocol violation: frame length 1195725856 exceeds the limit", closed["reason"]);
            var left = await pair.LogA.WaitForAsync(e => e.Event == "PeerLeft" && e["peer"] == "garbage", "A reports the member gone");
            Assert.StartsWith("protocol violation", left["text"]);
            // It broke the protocol: A does not call it back (a lost link would be listed as Reconnecting).
            Assert.DoesNotContain(pair.A.GetPeers(), p => p.UserName == "garbage");
            await pair.StopAndVerifyAsync();
        }

        [Fact]
        public async Task AMemberThatNeverReadsIsDisconnectedAsASlowConsumerWithItsQueueBounded()
        {
            const int queueFrames = 64, queueBytes = 512 * 1024;
            await using var pair = await HonestPair.StartAsync(o =>
            {
                o.SendQueueCapacity = queueFrames;
                o.SendQueueBytes = queueBytes;
            }, textLength: ChatLimits.MaxMessageLength);

            // A small receive window, so that the kernel's buffers fill soon and A's queue has to hold the rest.
            using var sleeper = await RawChatClient.ConnectAsync(pair.A.Port, "sleeper", receiveBuffer: 4096);
            Assert.Equal("joined", await sleeper.JoinAsync());
            // From here on it never reads. A sends it every message it sends B.

            var closed = await pair.LogA.WaitForAsync(e => e.Event == "ConnectionClosed" && From(e, sleeper),
                "A disconnects the member that never reads", TimeSpan.FromSeconds(90));
            var match = Regex.Match(closed["reason"]!, @"^slow consumer: its send queue reached its bound \((\d+) frames, (\d+) bytes\)$");
            Assert.True(match.Success, closed["reason"]);
            Assert.InRange(int.Parse(match.Groups[1].Value), 1, queueFrames);
            Assert.InRange(long.Parse(match.Groups[2].Value), 1, queueBytes);
            await pair.StopAndVerifyAsync();
        }

        [Fact]
        public async Task AHostileEndpointsRefusalCannotFloodTheLogOrTheCallersError()
        {
            await using var pair = await HonestPair.StartAsync();
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                // A "peer" that answers a dial with a refusal as long as the protocol allows, full of terminal escapes.
                var hostile = Task.Run(async () =>
                {
                    using var socket = await listener.AcceptSocketAsync();
                    string code = new string('c', 32);
                    string reason = "\u001b[31m\r\n" + string.Concat(Enumerable.Repeat("\u001b[2J", 250));
                    var frame = RawChatClient.Frame($"{{\"type\":\"refuse\",\"code\":{Json.Str(code)},\"reason\":{Json.Str(reason)}}}");
                    await socket.SendAsync(frame, System.Net.Sockets.SocketFlags.None);
                    try
                    {
                        while (await socket.ReceiveAsync(new byte[4096], System.Net.Sockets.SocketFlags.None) > 0) { }
                    }
                    catch (System.Net.Sockets.SocketException)
                    {
                        // A closed the connection; whether as an end of stream or a reset does not matter here.
                    }
                });
                int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
                var error = await Assert.ThrowsAsync<ChatException>(() => pair.A.ConnectAsync(new ChatEndpoint("127.0.0.1", port)));
                Assert.Equal(ChatErrorCode.HandshakeFailed, error.Code);
                AssertShortAndPrintable(error.Message);
                var failed = await pair.LogA.WaitForAsync(e => e.Event == "HandshakeFailed" && e["remote"]!.EndsWith(":" + port), "A logs the refusal");
                AssertShortAndPrintable(failed["code"]!);
                AssertShortAndPrintable(failed["reason"]!);
                await hostile;
            }
            finally
            {
                listener.Stop();
            }
            await pair.StopAndVerifyAsync();
        }

        private static void AssertShortAndPrintable(string text)
        {
            Assert.True(text.Length <= 300, $"{text.Length} characters");
            Assert.DoesNotContain(text, char.IsControl);
        }

        [Fact]
        public async Task ASecondLinkFromAMemberIsRefusedAsADuplicateAndToldSo()
        {
            await using var pair = await HonestPair.StartAsync();
            using var first = await RawChatClient.ConnectAsync(pair.A.Port, "twice");
            Assert.Equal("joined", await first.JoinAsync());
            var drain = first.DrainAsync();
            for (int i = 0; i < 20; i++)
            {
                // The same member again (same peer id, not the arbiter): A keeps the link it has and refuses this one. The
                // refusal is what tells a peer in a simultaneous dial to wait for the other link instead of failing.
                using var again = await RawChatClient.ConnectAsync(pair.A.Port, "twice", peerId: first.PeerId);
                Assert.Equal("duplicate", await again.JoinAsync());
            }
            Assert.Equal(1, pair.A.PeerCount(p => p.UserName == "twice"));
            await pair.StopAndVerifyAsync();
        }

        [Fact]
        public async Task AFloodBeyondThePendingAndMemberLimitsIsRefusedWithoutHarmToEstablishedLinks()
        {
            const int maxPending = 8, maxMembers = 3, flood = 40;
            await using var pair = await HonestPair.StartAsync(o =>
            {
                o.MaxPendingHandshakes = maxPending;
                o.MaxMembers = maxMembers;
                o.HandshakeTimeout = TimeSpan.FromMinutes(2); // the flood holds its slots until the test lets go
                o.PeerTimeout = TimeSpan.FromMinutes(2);      // the raw members below never send a heartbeat
            });

            var clients = new List<RawChatClient>();
            try
            {
                for (int i = 0; i < flood; i++) clients.Add(await RawChatClient.ConnectAsync(pair.A.Port, $"flood{i}"));
                var first = new List<string?>();
                foreach (var client in clients)
                {
                    var frame = await client.ReadFrameAsync();
                    first.Add(frame == null ? null : RawChatClient.Type(frame.Value));
                }
                // Exactly the first maxPending get a handshake; every later one is closed before a byte is sent to it.
                Assert.Equal(maxPending, first.Count(t => t == "hello"));
                Assert.Equal(flood - maxPending, first.Count(t => t == null));
                await pair.LogA.WaitForAsync(_ => pair.LogA.Named("HandshakeFailed").Count(e => e["code"] == "full") == flood - maxPending,
                    "A logs every refused connection");

                // Let the pending ones go; then fill the member slots (B holds one) and go one past them.
                foreach (var client in clients) client.Dispose();
                await pair.LogA.WaitForAsync(_ => pair.LogA.Named("HandshakeFailed").Count(e => e["code"] == "failed") == maxPending,
                    "A ends the abandoned handshakes");
                clients.Clear();
                var drains = new List<Task>();
                for (int i = 1; i < maxMembers; i++)
                {
                    var member = await RawChatClient.ConnectAsync(pair.A.Port, $"member{i}", arbiter: i % 2 == 0);
                    clients.Add(member);
                    Assert.Equal("joined", await member.JoinAsync());
                    drains.Add(member.DrainAsync());
                }
                var extra = await RawChatClient.ConnectAsync(pair.A.Port, "extra");
                clients.Add(extra);
                Assert.Equal("full", await extra.JoinAsync());
                Assert.Null(await extra.ReadFrameAsync());
                Assert.Equal(maxMembers, pair.A.PeerCount);
                await pair.StopAndVerifyAsync();
            }
            finally
            {
                foreach (var client in clients) client.Dispose();
            }
        }
    }
}
