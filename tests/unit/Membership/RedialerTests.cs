using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using PSGroupChat.Lifecycle;
using PSGroupChat.Membership;
using PSGroupChat.Protocol;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Membership
{
    /// <summary>
    /// Dials of a member heard of in gossip, on a fake clock: they go on with the lost-member back-off until the two are
    /// linked, so a pair whose first dials failed (a busy host, a route that was down) still links, and the mesh completes.
    /// </summary>
    public class RedialerTests
    {
        [Fact]
        public async Task AnAnnouncedMemberWhoseFirstDialsFailIsDialedOnTheBackOffUntilItLinksWithOneLoopPerMember()
        {
            var clock = new TimerCountingClock();
            var work = new BackgroundWork();
            var registry = new MemberRegistry(new LocalPeer(PeerIds.New(), "me", 1, 0), maxMembers: 256, maxPendingHandshakes: 64, () => 0);
            var announced = new MemberAnnouncement(PeerIds.New(), "other", new ChatEndpoint("127.0.0.1", 2), 0, Array.Empty<byte>());
            int attempts = 0;
            Task Connect(ChatEndpoint endpoint, SoughtMember sought)
            {
                // Unreachable for the first five attempts (more than the three an announced member used to get), then linked.
                return Interlocked.Increment(ref attempts) <= 5
                    ? Task.FromException(new ChatException(ChatErrorCode.EndpointUnreachable, "unreachable", endpoint))
                    : Task.CompletedTask;
            }
            var redialer = new Redialer(registry, Connect, work, clock, NullLogger.Instance, TimeSpan.FromHours(24), maxMembers: 256);

            redialer.DialAnnounced(announced, dialNow: true);
            redialer.DialAnnounced(announced, dialNow: true); // named again by the next member list: no second loop
            await Eventually.True(() => Volatile.Read(ref attempts) == 1, "the first dial");
            // 1, 2, 4, 8 and 16 s apart: the sixth attempt, 31 s after the first, links.
            foreach (var (wait, expected) in new[] { (1, 2), (2, 3), (4, 4), (8, 5), (16, 6) })
            {
                await Eventually.True(() => clock.Timers == expected - 1, $"the wait before attempt {expected}");
                clock.Advance(TimeSpan.FromSeconds(wait - 0.001));
                await Task.Delay(20);
                Assert.Equal(expected - 1, Volatile.Read(ref attempts)); // not before its time
                clock.Advance(TimeSpan.FromMilliseconds(1));
                await Eventually.True(() => Volatile.Read(ref attempts) == expected, $"attempt {expected}");
            }
            await Eventually.True(() => work.Count == 0, "the loop ended once linked");
            clock.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(20);
            Assert.Equal(6, Volatile.Read(ref attempts));

            redialer.DialAnnounced(announced, dialNow: true); // a loop that ended makes way for a new one
            await Eventually.True(() => Volatile.Read(ref attempts) == 7, "a new loop's dial");
            await Eventually.True(() => work.Count == 0, "the new loop ended");
        }

        [Fact]
        public async Task AnnouncedMembersBeyondTheMemberLimitGetThreeAttemptsSoGossipCannotPileUpTimers()
        {
            var clock = new TimerCountingClock();
            var work = new BackgroundWork();
            var registry = new MemberRegistry(new LocalPeer(PeerIds.New(), "me", 1, 0), maxMembers: 1, maxPendingHandshakes: 64, () => 0);
            var first = new MemberAnnouncement(PeerIds.New(), "first", new ChatEndpoint("127.0.0.1", 2), 0, Array.Empty<byte>());
            var second = new MemberAnnouncement(PeerIds.New(), "second", new ChatEndpoint("127.0.0.1", 3), 0, Array.Empty<byte>());
            int toFirst = 0, toSecond = 0;
            Task Connect(ChatEndpoint endpoint, SoughtMember sought)
            {
                Interlocked.Increment(ref sought.PeerId == first.PeerId ? ref toFirst : ref toSecond);
                return Task.FromException(new ChatException(ChatErrorCode.EndpointUnreachable, "unreachable", endpoint));
            }
            var redialer = new Redialer(registry, Connect, work, clock, NullLogger.Instance, TimeSpan.FromHours(24), maxMembers: 1);

            redialer.DialAnnounced(first, dialNow: true);
            redialer.DialAnnounced(second, dialNow: true); // one loop too many for a member limit of 1
            await Eventually.True(() => Volatile.Read(ref toFirst) == 1 && Volatile.Read(ref toSecond) == 1, "both first dials");
            for (int attempt = 2; attempt <= 7; attempt++)
            {
                // The first member's loop waits before each attempt; the second's before its 2nd and 3rd only.
                int waits = (attempt - 1) + Math.Min(attempt - 1, Redialer.ShortLoopAttempts - 1);
                await Eventually.True(() => clock.Timers == waits, $"the waits before attempt {attempt}");
                clock.Advance(RedialSchedule.DelayBefore(attempt - 1));
                await Eventually.True(() => Volatile.Read(ref toFirst) == attempt, $"the first member's attempt {attempt}");
            }
            await Eventually.True(() => Volatile.Read(ref toSecond) == Redialer.ShortLoopAttempts, "the second member's short loop");
            clock.Advance(TimeSpan.FromMinutes(5));
            await Eventually.True(() => Volatile.Read(ref toFirst) > 7, "the first member's loop goes on");
            Assert.Equal(Redialer.ShortLoopAttempts, Volatile.Read(ref toSecond));
            work.Cancel();
            await Eventually.True(() => work.Count == 0, "the loops end when the session stops");
        }
    }
}
