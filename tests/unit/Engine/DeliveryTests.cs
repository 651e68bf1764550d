using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using PSGroupChat.Delivery;
using PSGroupChat.Protocol;
using PSGroupChat.Tests.Harness;
using Xunit;
using static PSGroupChat.Tests.Harness.FakeClockSteps;

namespace PSGroupChat.Tests.Engine
{
    /// <summary>
    /// The delivery guarantee of protocol 2 on a fake clock: every message reaches every member in the chat, exactly once
    /// and in its sender's order, across lost and replaced links, freezes and missing direct links; the history bound is
    /// the only way to miss one, and then with a Missed notice.
    /// </summary>
    public class DeliveryTests
    {
        private static Action<ChatSessionOptions> Fake(FakeTimeProvider clock, int maxMembers = 256, int historyLimit = ChatSessionOptions.DefaultHistoryLimit,
            double timeoutSeconds = 5, Action<ChatSessionOptions>? more = null) => o =>
        {
            o.TimeProvider = clock;
            o.HeartbeatInterval = TimeSpan.FromSeconds(1);
            o.PeerTimeout = TimeSpan.FromSeconds(timeoutSeconds);
            o.MaxMembers = maxMembers;
            o.HistoryLimit = historyLimit;
            more?.Invoke(o);
        };

        private static List<ChatMessage> Messages(ChatSession session, string sender) =>
            session.Inbox.Take(m => m.Sender == sender && (m.Kind == ChatMessageKind.Message || m.Kind == ChatMessageKind.Missed)).ToList();

        private static int PeekCount(ChatSession session, string sender)
        {
            // Take with a filter that matches nothing only counts: the entries stay queued.
            int n = 0;
            session.Inbox.Take(m => { if (m.Sender == sender && m.Kind == ChatMessageKind.Message) n++; return false; });
            return n;
        }

        private static int Peek(ChatSession session, ChatMessageKind kind)
        {
            int n = 0;
            session.Inbox.Take(m => { if (m.Kind == kind) n++; return false; });
            return n;
        }

        private static FakeTimeProvider Clock() => new FakeTimeProvider(DateTimeOffset.UtcNow);

        [Fact]
        public async Task AMemberWithoutADirectLinkToTheSenderGetsItsMessagesForwardedUnderItsName()
        {
            var clock = Clock();
            await using var set = new SessionSet();
            // b and c may hold one member each, so each links to a only: c hears b only through a.
            var a = set.Start("a", Fake(clock));
            var b = set.Start("b", Fake(clock, maxMembers: 1));
            var c = set.Start("c", Fake(clock, maxMembers: 1));
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await c.ConnectAsync(SessionSet.EndpointOf(a));
            await UntilAsync(clock, set.All, () => a.PeerCount == 2, "a linked to b and c");

            foreach (var text in new[] { "one", "two", "three" }) b.Send(text);
            await UntilAsync(clock, set.All, () => PeekCount(c, "b") == 3, "c has b's three messages");
            for (int i = 0; i < 4; i++) await StepAsync(clock, set.All); // more digests: nothing comes twice

            Assert.Equal(1, c.PeerCount); // still no direct link
            var got = Messages(c, "b");
            Assert.Equal(new[] { "one", "two", "three" }, got.Select(m => m.Text));
            Assert.Equal(new long[] { 1, 2, 3 }, got.Select(m => m.Sequence));
            Assert.All(got, m => Assert.Equal(b.PeerId, m.SenderId));
            Assert.All(got, m => Assert.False(m.IsHistory));
        }

        [Theory]
        [InlineData(100, 0)]
        [InlineData(5, 15)]
        public async Task ALostLinkIsReconciledAndOnlyTheHistoryBoundMissesMessagesWithANotice(int historyLimit, int missedOfB)
        {
            var clock = Clock();
            await using var set = new SessionSet();
            var a = set.Start("a", Fake(clock, historyLimit: historyLimit));
            var b = set.Start("b", Fake(clock, maxMembers: 1, historyLimit: historyLimit));
            var c = set.Start("c", Fake(clock, maxMembers: 1, historyLimit: historyLimit));
            using var proxy = new FaultyProxy(a.Port);
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await c.ConnectAsync(new ChatEndpoint("127.0.0.1", proxy.Port));
            await UntilAsync(clock, set.All, () => a.PeerCount == 2, "a linked to b, and to c through the proxy");
            b.Send("before");
            await UntilAsync(clock, set.All, () => PeekCount(c, "b") == 1, "c has b's first message");

            // The link a-c is cut: what b and a send meanwhile cannot reach c until a re-dials it around the proxy.
            proxy.Freeze();
            for (int i = 1; i <= 20; i++) b.Send("b" + i);
            for (int i = 1; i <= 10; i++) a.Send("a" + i);
            Func<ChatSession, ChatPeer, bool> cut = (s, p) => (s == a && p.UserName == "c") || (s == c && p.UserName == "a");
            await UntilAsync(clock, set.All, () => PeekCount(c, "b") == 1 + Math.Min(20, historyLimit) && PeekCount(c, "a") == Math.Min(10, historyLimit),
                "c caught up after the re-dial", silent: cut);
            for (int i = 0; i < 4; i++) await StepAsync(clock, set.All, cut);

            var fromB = Messages(c, "b");
            var fromA = Messages(c, "a");
            int missedOfA = Math.Max(0, 10 - historyLimit);
            var expectB = new[] { "before" }.Concat(missedOfB > 0 ? new[] { $"missed {missedOfB} messages" } : Array.Empty<string>())
                .Concat(Enumerable.Range(missedOfB + 1, 20 - missedOfB).Select(i => "b" + i));
            var expectA = (missedOfA > 0 ? new[] { $"missed {missedOfA} messages" } : Array.Empty<string>())
                .Concat(Enumerable.Range(missedOfA + 1, 10 - missedOfA).Select(i => "a" + i));
            Assert.Equal(expectB, fromB.Select(m => m.Text));
            Assert.Equal(expectA, fromA.Select(m => m.Text));
            if (missedOfB > 0)
            {
                var notice = Assert.Single(fromB, m => m.Kind == ChatMessageKind.Missed);
                Assert.Equal((15L, 2L, 16L), (notice.MissedCount, notice.MissedFrom, notice.MissedTo));
                Assert.Equal(missedOfA + missedOfB, c.MessagesMissed);
            }
            else
            {
                Assert.Equal(0, c.MessagesMissed);
            }
        }

        [Fact]
        public async Task AMemberThatJoinedLaterNeverDeclaresGoneWhatItNeverHeld()
        {
            var clock = Clock();
            await using var set = new SessionSet();
            var a = set.Start("a", Fake(clock));
            var b = set.Start("b", Fake(clock));
            using var proxy = new FaultyProxy(a.Port);
            await b.ConnectAsync(new ChatEndpoint("127.0.0.1", proxy.Port));
            await UntilAsync(clock, set.All, () => a.PeerCount == 1, "a linked to b through the proxy");
            a.Send("1");
            a.Send("2");
            await UntilAsync(clock, set.All, () => PeekCount(b, "a") == 2, "b has a's first two");

            // a's 3 to 5 are stuck behind the frozen proxy when c joins: c starts a at 5 and holds only what comes after.
            proxy.Freeze();
            foreach (var text in new[] { "3", "4", "5" }) a.Send(text);
            Func<ChatSession, ChatPeer, bool> cut = (s, p) => (s == a && p.UserName == "b") || (s == b && p.UserName == "a");
            var c = set.Start("c", Fake(clock));
            await c.ConnectAsync(SessionSet.EndpointOf(a));
            await Eventually.True(() => a.GetPeers().Any(p => p.UserName == "c" && p.State == PeerState.Connected), "a lists c"); // owes c what it sends from now
            a.Send("6");
            a.Send("7");
            await UntilAsync(clock, set.All, () => PeekCount(c, "a") == 2 && c.PeerCount == 2, "c has 6 and 7 and a link to b", silent: cut);

            // b lacks 3 to 7; c holds only 6 and 7. The rest must come from a once its link is back, never as a Missed notice.
            await UntilAsync(clock, set.All, () => PeekCount(b, "a") == 7 || Peek(b, ChatMessageKind.Missed) > 0, "b caught up with a", silent: cut);
            for (int i = 0; i < 4; i++) await StepAsync(clock, set.All, cut);

            Assert.Equal(0, Peek(b, ChatMessageKind.Missed));
            Assert.Equal(new[] { "1", "2", "3", "4", "5", "6", "7" }, Messages(b, "a").Select(m => m.Text));
            Assert.Equal(0, b.MessagesMissed);
        }

        [Fact]
        public async Task AReplacedLinkLosesNothing()
        {
            var clock = Clock();
            await using var set = new SessionSet();
            // The arbiter (the lower peer id) gives up on the silent link first and re-dials around the proxy; the other
            // side still holds its old link and swaps the new one in without notices. What was lost in between must come.
            var log = new CapturedLog();
            ChatSession arbiter, other;
            while (true)
            {
                arbiter = set.Start("s" + set.All.Count, Fake(clock, timeoutSeconds: 4, more: o => o.LoggerFactory = log));
                other = set.Start("l" + set.All.Count, Fake(clock, timeoutSeconds: 600, more: o => o.LoggerFactory = log));
                if (string.CompareOrdinal(arbiter.PeerId, other.PeerId) < 0) break;
                await arbiter.StopAsync();
                await other.StopAsync();
            }
            var pair = new[] { arbiter, other };
            using var proxy = new FaultyProxy(arbiter.Port);
            await other.ConnectAsync(new ChatEndpoint("127.0.0.1", proxy.Port));
            await UntilAsync(clock, pair, () => arbiter.PeerCount == 1 && other.PeerCount == 1, "linked through the proxy");

            proxy.Freeze();
            for (int i = 1; i <= 10; i++) other.Send("m" + i);
            Func<ChatSession, ChatPeer, bool> cut = (s, p) => true; // the only link is the cut one, until it is replaced
            await UntilAsync(clock, pair, () => Peek(arbiter, ChatMessageKind.Left) == 1, "the arbiter gave up on the silent link", silent: cut);
            // The clock waits for the re-dial to be set (1 s), and moves only then: nothing else needs time now.
            await Eventually.True(() => log.Named("Redialing").Any(), "the arbiter re-dialing");
            clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually.True(() => PeekCount(arbiter, other.UserName) == 10, "the messages lost with the old link came over the new one");
            for (int i = 0; i < 4; i++) await StepAsync(clock, pair);

            Assert.Equal(Enumerable.Range(1, 10).Select(i => "m" + i), Messages(arbiter, other.UserName).Select(m => m.Text));
            // The other side swapped the link: no Left, no Joined beyond the first.
            Assert.Empty(SessionSet.Take(other, ChatMessageKind.Left));
            Assert.Single(SessionSet.Take(other, ChatMessageKind.Joined));
        }

        [Fact]
        public async Task AMemberStillHeardThroughOthersIsNotReportedAsLeftWhenItsOwnLinkIsLost()
        {
            var clock = Clock();
            await using var set = new SessionSet();
            var a = set.Start("a", Fake(clock));
            var b = set.Start("b", Fake(clock));
            var c = set.Start("c", Fake(clock));
            using var proxy = new FaultyProxy(b.Port);
            await c.ConnectAsync(new ChatEndpoint("127.0.0.1", proxy.Port)); // b-c through the proxy, both to a directly
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await c.ConnectAsync(SessionSet.EndpointOf(a));
            await UntilAsync(clock, set.All, () => set.All.All(s => s.PeerCount == 2), "a full mesh of three");

            // Only b-c is cut; both keep talking, so each hears the other through a the whole time.
            proxy.Freeze();
            Func<ChatSession, ChatPeer, bool> cut = (s, p) => (s == b && p.UserName == "c") || (s == c && p.UserName == "b");
            for (int i = 1; i <= 12; i++)
            {
                b.Send("b" + i);
                c.Send("c" + i);
                await StepAsync(clock, set.All, cut);
            }
            await UntilAsync(clock, set.All, () => PeekCount(b, "c") == 12 && PeekCount(c, "b") == 12 && b.PeerCount == 2 && c.PeerCount == 2,
                "everything arrived and b-c is linked again", silent: cut);

            Assert.Equal(0, Peek(b, ChatMessageKind.Left) + Peek(c, ChatMessageKind.Left));
            Assert.Equal(Enumerable.Range(1, 12).Select(i => "c" + i), Messages(b, "c").Select(m => m.Text));
            Assert.Equal(Enumerable.Range(1, 12).Select(i => "b" + i), Messages(c, "b").Select(m => m.Text));
            Assert.Equal(2, Peek(b, ChatMessageKind.Joined)); // a and c, once each
        }

        [Fact]
        public async Task AfterAFreezeEveryLinkIsReadBeforeAnyoneIsJudgedAndNothingIsThrownAway()
        {
            var clock = Clock();
            await using var set = new SessionSet();
            var a = set.Start("a", Fake(clock));
            var b = set.Start("b", Fake(clock));
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await UntilAsync(clock, set.All, () => a.PeerCount == 1 && b.PeerCount == 1, "linked");
            b.Send("before the freeze");

            // Both processes stop for 20 s (four peer timeouts) and resume: their own ticks show the jump.
            clock.Advance(TimeSpan.FromSeconds(20));
            // The resumed ticks' heartbeats are read before the clock moves on, as after every step.
            await Eventually.True(() => set.All.All(s => s.GetPeers().All(p => p.LastSeen == clock.GetUtcNow())), "the resumed heartbeats read");
            b.Send("after the freeze");
            for (int i = 0; i < 3; i++) await StepAsync(clock, set.All);
            await UntilAsync(clock, set.All, () => PeekCount(a, "b") == 2, "a has both messages");

            Assert.Empty(SessionSet.Take(a, ChatMessageKind.Left));
            Assert.Empty(SessionSet.Take(b, ChatMessageKind.Left));
            Assert.Equal(new[] { "before the freeze", "after the freeze" }, Messages(a, "b").Select(m => m.Text));
        }

        [Fact]
        public async Task ALostMemberIsRedialedWithACappedBackOffUntilTheHorizon()
        {
            var clock = Clock();
            var log = new CapturedLog();
            await using var set = new SessionSet();
            var a = set.Start("a", Fake(clock, more: o => { o.RedialHorizon = TimeSpan.FromMinutes(2); o.LoggerFactory = log; }));
            int port = await LoseMemberAtItsPortAsync(clock, set, a, log);
            // Every re-dial is turned away at once. The port stays held: a session of a test running beside this one, given
            // the freed port, would answer the re-dial as another peer, and the loop would stop there (RedialMoved), not at
            // the horizon.
            using var holder = new TcpListener(IPAddress.Loopback, port);
            holder.Start();
            var turningAway = Task.Run(async () =>
            {
                try
                {
                    while (true) (await holder.AcceptTcpClientAsync()).Dispose();
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                {
                }
            });

            await UntilAsync(clock, new[] { a }, () => a.GetPeers().Any(p => p.State == PeerState.Reconnecting), "x lost");
            // The clock moves by each logged back-off at once (the loop's timer is set when it logs), then waits for the
            // loop's next word, so that it never runs ahead of a dial in progress.
            for (int seen = 1; !log.Named("RedialGivenUp").Any(); seen++)
            {
                await Eventually.True(() => log.Named("Redialing").Count() >= seen || log.Named("RedialGivenUp").Any(), "the re-dial loop's next attempt");
                if (log.Named("RedialGivenUp").Any()) break;
                clock.Advance(TimeSpan.FromSeconds(Convert.ToDouble(log.Named("Redialing").ElementAt(seen - 1).Values["delaySeconds"])));
                Assert.True(seen < 20, "the re-dial loop never gave up");
            }
            var delays = log.Named("Redialing").Select(e => Convert.ToDouble(e.Values["delaySeconds"])).ToList();
            // 1, 2, 4, 8, 16 s, then every 30 s: attempts at 1, 3, 7, 15, 31, 61, 91 s; the next (121 s) is past the horizon.
            Assert.Equal(new[] { 1.0, 2, 4, 8, 16, 30, 30, 30 }, delays);
            Assert.Equal(7, Convert.ToInt32(log.Named("RedialGivenUp").Single().Values["attempts"]));
            Assert.Empty(a.GetPeers());
            holder.Stop();
            await turningAway;
        }

        [Fact]
        public async Task ARedialThatFindsAnotherPeerAtTheLostMembersEndpointRefusesItAndGivesUp()
        {
            var clock = Clock();
            var log = new CapturedLog();
            await using var set = new SessionSet();
            var a = set.Start("a", Fake(clock, more: o => o.LoggerFactory = log));
            var y = await StartAtLostMembersPortAsync("y", clock, set, a, log); // another user's session, of another chat

            await Eventually.True(() => log.Named("RedialMoved").Any(), "a's re-dial of x finding y");
            Assert.Contains("'y'", Convert.ToString(log.Named("RedialMoved").Single().Values["reason"]));
            await Eventually.True(() => a.GetPeers().Count == 0, "x no longer listed");
            Assert.Equal(0, y.PeerCount);
            Assert.Empty(log.Named("RedialGivenUp"));
            int dials = log.Named("Dialing").Count();
            for (int i = 0; i < 60; i++) await StepAsync(clock, set.All);
            Assert.Equal(dials, log.Named("Dialing").Count()); // not dialed again: the two chats stay apart
            Assert.Equal(0, y.PeerCount);
        }

        [Fact]
        public async Task ARedialThatFindsANewIncarnationUnderTheLostMembersNameLinksIt()
        {
            var clock = Clock();
            var log = new CapturedLog();
            await using var set = new SessionSet();
            var a = set.Start("a", Fake(clock, more: o => o.LoggerFactory = log));
            var again = await StartAtLostMembersPortAsync("x", clock, set, a, log); // restarted on its port, alone

            await Eventually.True(() => a.GetPeers().Any(p => p.PeerId == again.PeerId && p.State == PeerState.Connected), "a's re-dial linking the new x");
            Assert.Empty(log.Named("RedialMoved"));
            Assert.Equal(1, again.PeerCount);
        }

        /// <summary>
        /// Loses a's member x, starts <paramref name="userName"/>'s session on x's freed port, and lets the first re-dial's
        /// back-off pass: the handshake of that re-dial then runs in real time.
        /// </summary>
        private static async Task<ChatSession> StartAtLostMembersPortAsync(string userName, FakeTimeProvider clock, SessionSet set, ChatSession a, CapturedLog log)
        {
            int port = await LoseMemberAtItsPortAsync(clock, set, a, log);
            var session = set.Start(userName, Fake(clock, more: o => o.Port = port));
            clock.Advance(TimeSpan.FromSeconds(1));
            return session;
        }

        /// <summary>Links a to a member x, aborts x, and waits until a's first re-dial of it is set; returns x's port, now free.</summary>
        private static async Task<int> LoseMemberAtItsPortAsync(FakeTimeProvider clock, SessionSet set, ChatSession a, CapturedLog log)
        {
            var x = set.Start("x", Fake(clock));
            await a.ConnectAsync(SessionSet.EndpointOf(x));
            await UntilAsync(clock, set.All, () => a.PeerCount == 1, "linked");
            int port = x.Port;
            x.Abort();
            await Eventually.True(() => log.Named("Redialing").Any(), "x lost and its re-dial set");
            return port;
        }

        [Fact]
        public async Task AMemberRestartedUnderTheSameNameIsListedOnce()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            var first = set.Start("x");
            await a.ConnectAsync(SessionSet.EndpointOf(first));
            await Eventually.True(() => a.PeerCount == 1, "linked");
            first.Abort();
            await Eventually.True(() => a.GetPeers().Any(p => p.State == PeerState.Reconnecting), "x lost and being re-dialed");

            var second = set.Start("x"); // a new incarnation on another port: the old endpoint stays dead
            await second.ConnectAsync(SessionSet.EndpointOf(a));
            await Eventually.True(() => a.GetPeers().Any(p => p.PeerId == second.PeerId), "the new x linked");
            a.Send("round trip");
            await Eventually.True(() => PeekCount(second, "a") == 1, "a round trip");

            var listed = Assert.Single(a.GetPeers(), p => p.UserName == "x");
            Assert.Equal(PeerState.Connected, listed.State);
            Assert.Equal(second.PeerId, listed.PeerId);
            // The crashed incarnation's Left comes at once (it was heard only over its own link), before the new one's Joined.
            var notices = a.Inbox.Take(m => m.Sender == "x" && (m.Kind == ChatMessageKind.Joined || m.Kind == ChatMessageKind.Left));
            Assert.Equal(new[] { (ChatMessageKind.Joined, first.PeerId), (ChatMessageKind.Left, first.PeerId), (ChatMessageKind.Joined, second.PeerId) },
                notices.Select(m => (m.Kind, m.SenderId)));
        }

        [Fact]
        public async Task ALateJoinerGetsRecentHistoryOnceInEachSendersOrderMarkedAsHistory()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            var b = set.Start("b");
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await Eventually.True(() => a.PeerCount == 1 && b.PeerCount == 1, "linked");
            for (int i = 1; i <= 5; i++) { a.Send("a" + i); b.Send("b" + i); }
            await Eventually.True(() => PeekCount(a, "b") == 5 && PeekCount(b, "a") == 5, "a and b have each other's messages");

            var j = set.Start("j", o => o.HistoryCount = 3);
            await j.ConnectAsync(SessionSet.EndpointOf(a));
            await Eventually.True(() => j.PeerCount == 2, "j linked to both");
            await Eventually.True(() => PeekCount(j, "a") == 3 && PeekCount(j, "b") == 3, "j has three of each");
            a.Send("live");
            await Eventually.True(() => PeekCount(j, "a") == 4, "j has a's live message");

            var fromA = Messages(j, "a");
            var fromB = Messages(j, "b");
            Assert.Equal(new[] { "a3", "a4", "a5", "live" }, fromA.Select(m => m.Text));
            Assert.Equal(new[] { true, true, true, false }, fromA.Select(m => m.IsHistory));
            Assert.Equal(new[] { "b3", "b4", "b5" }, fromB.Select(m => m.Text));
            Assert.All(fromB, m => Assert.True(m.IsHistory));
        }

        [Fact]
        public async Task ADirectMessageForwardedByAThirdPartyIsIgnored()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            var b = set.Start("b");
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await Eventually.True(() => a.PeerCount == 1, "linked");
            using var raw = await Hardening.RawChatClient.ConnectAsync(a.Port, "mallory");
            Assert.Equal("joined", await raw.JoinAsync());
            await Eventually.True(() => a.PeerCount == 2, "mallory linked");

            // mallory passes off a direct message as b's: only b itself may deliver b's direct messages to a.
            await raw.SendAsync(WireCodec.EncodeMessage(b.PeerId, 1, 0, "from b, honest", new[] { "a" }, false));
            // and one of its own, which a takes: the link still works, and the forged one came first.
            await raw.SendAsync(WireCodec.EncodeMessage(raw.PeerId, 1, 0, "mallory's own", new[] { "a" }, false));
            await Eventually.True(() => PeekCount(a, "mallory") == 1, "mallory's own direct message");
            Assert.Equal(0, PeekCount(a, "b"));
        }
    }
}
