using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Engine
{
    public class DepartureTests
    {
        [Fact]
        public async Task ACrashedPeerIsReportedAsConnectionLostExactlyOnce()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            var b = set.Start("b");
            var crasher = set.Start("crasher");
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await crasher.ConnectAsync(SessionSet.EndpointOf(a));
            await Eventually.True(() => set.All.All(s => s.PeerCount == 2), "a full mesh of three");

            crasher.Abort();
            await Eventually.True(() => a.PeerCount == 1 && b.PeerCount == 1, "the crash noticed");
            // The survivors still talk: a round trip also gives any duplicate notice time to show up before we count.
            a.Send("still here");
            b.Send("me too");
            await Eventually.True(() => a.MessagesReceived == 1 && b.MessagesReceived == 1, "the survivors' round trip");

            foreach (var survivor in new[] { a, b })
            {
                var left = Assert.Single(SessionSet.Take(survivor, ChatMessageKind.Left));
                Assert.Equal("crasher", left.Sender);
                Assert.Equal(LeaveReason.ConnectionLost, left.Reason);
                // Lost without a leave notice, so it is being re-dialed.
                Assert.Contains(survivor.GetPeers(), p => p.UserName == "crasher" && p.State == PeerState.Reconnecting);
            }
        }

        [Fact]
        public async Task ASilentPeerBehindAFrozenLinkIsReportedAsTimeoutExactlyOnce()
        {
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            await using var set = new SessionSet();
            Action<ChatSessionOptions> fake = o =>
            {
                o.TimeProvider = clock;
                o.HeartbeatInterval = TimeSpan.FromSeconds(1);
                o.PeerTimeout = TimeSpan.FromSeconds(5);
            };
            var a = set.Start("a", fake);
            var b = set.Start("b", fake);
            using var proxy = new FaultyProxy(a.Port);
            await b.ConnectAsync(new ChatEndpoint("127.0.0.1", proxy.Port));
            await Eventually.True(() => a.PeerCount == 1 && b.PeerCount == 1, "linked through the proxy");

            // Heartbeats flow while the link is healthy: advancing past the timeout in steps loses no one. Each step
            // waits until both sides have read the other's heartbeat of that very second, so that when the link is cut
            // nothing is in flight: a frame read late would count as a sign of life at the later fake time.
            for (int second = 0; second < 8; second++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                await Eventually.True(() => new[] { a, b }.All(s => s.GetPeers().All(p => p.LastSeen == clock.GetUtcNow())), "this second's heartbeats read");
            }
            Assert.Empty(SessionSet.Take(a, ChatMessageKind.Left));

            // Six silent seconds pass the five-second timeout on both sides in the same tick, and stop short of the
            // first re-dial (0.5 s after the loss, so at the next tick).
            proxy.Freeze();
            for (int second = 0; second < 6; second++) clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually.True(() => a.PeerCount == 0 && b.PeerCount == 0, "both sides noticed the silence");

            foreach (var (session, other) in new[] { (a, "b"), (b, "a") })
            {
                var left = Assert.Single(await SessionSet.TakeAtLeastAsync(session, ChatMessageKind.Left, 1, $"{session.UserName} is told {other} left"));
                Assert.Equal(other, left.Sender);
                Assert.Equal(LeaveReason.Timeout, left.Reason);
            }
            // Lost without a leave notice, so both re-dial. a reaches b's own listener directly, around the frozen proxy,
            // and the link comes back as a new join; the silence stays one notice.
            await Eventually.True(() =>
            {
                clock.Advance(TimeSpan.FromSeconds(1)); // let the fake clock reach the back-off delays
                return a.PeerCount == 1 && b.PeerCount == 1;
            }, "re-dialed around the frozen proxy");
            Assert.Equal("b", Assert.Single((await SessionSet.TakeAtLeastAsync(a, ChatMessageKind.Joined, 2, "a is told b joined again")).Skip(1)).Sender);
            Assert.Empty(SessionSet.Take(a, ChatMessageKind.Left));
            Assert.Empty(SessionSet.Take(b, ChatMessageKind.Left));
        }

        [Fact]
        public async Task APeerRestartedOnTheSamePortIsRedialedAndReportedAsJoinedAgain()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            var first = set.Start("x");
            int port = first.Port;
            await a.ConnectAsync(SessionSet.EndpointOf(first));
            await Eventually.True(() => a.PeerCount == 1, "linked");
            Assert.Single(SessionSet.Take(a, ChatMessageKind.Joined));

            first.Abort();
            await Eventually.True(() => a.Inbox.Count > 0, "the loss noticed");
            Assert.Equal(LeaveReason.ConnectionLost, Assert.Single(SessionSet.Take(a, ChatMessageKind.Left)).Reason);

            var second = set.Start("x", o => o.Port = port);
            await Eventually.True(() => a.PeerCount == 1 && second.PeerCount == 1, "re-dialed and linked again");
            var joined = Assert.Single(await SessionSet.TakeAtLeastAsync(a, ChatMessageKind.Joined, 1, "a is told x joined again"));
            Assert.Equal("x", joined.Sender);
            Assert.Equal(second.PeerId, joined.SenderId);
            Assert.DoesNotContain(a.GetPeers(), p => p.State == PeerState.Reconnecting);
        }

        [Fact]
        public async Task AGracefulLeaveIsReportedOnceWithItsReasonAndIsNotRedialed()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            var b = set.Start("b");
            var leaver = set.Start("leaver");
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await leaver.ConnectAsync(SessionSet.EndpointOf(a));
            await Eventually.True(() => set.All.All(s => s.PeerCount == 2), "a full mesh of three");

            await leaver.StopAsync("off to lunch");
            Assert.Equal(ChatSessionState.Stopped, leaver.State);
            await Eventually.True(() => a.PeerCount == 1 && b.PeerCount == 1, "the leave noticed");
            foreach (var survivor in new[] { a, b })
            {
                var left = Assert.Single(await SessionSet.TakeAtLeastAsync(survivor, ChatMessageKind.Left, 1, $"{survivor.UserName} is told the leaver left"));
                Assert.Equal(LeaveReason.Graceful, left.Reason);
                Assert.Equal("off to lunch", left.Text);
                Assert.DoesNotContain(survivor.GetPeers(), p => p.State == PeerState.Reconnecting);
            }
            await leaver.StopAsync(); // a second stop is harmless
        }
    }
}
