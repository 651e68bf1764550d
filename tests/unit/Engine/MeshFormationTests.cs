using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Membership;
using PSGroupChat.Tests.Hardening;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Engine
{
    public class MeshFormationTests
    {
        [Fact]
        public async Task TenPeersJoiningThroughTheFirstFormAFullMesh()
        {
            await using var set = new SessionSet();
            var first = set.Start("peer0");
            var others = Enumerable.Range(1, 9).Select(i => set.Start("peer" + i)).ToList();
            await Task.WhenAll(others.Select(s => s.ConnectAsync(SessionSet.EndpointOf(first))));

            await Eventually.True(() => set.All.All(s => s.PeerCount == 9), "every peer linked to the 9 others");
            var everyone = set.All.Select(s => s.UserName).OrderBy(n => n).ToList();
            foreach (var session in set.All)
            {
                var view = session.GetPeers().Select(p => p.UserName).Append(session.UserName).OrderBy(n => n).ToList();
                Assert.Equal(everyone, view);
            }
            // 45 links: each pair counted once from each side, and each link has one outbound and one inbound end.
            Assert.Equal(90, set.All.Sum(s => s.PeerCount));
            Assert.Equal(45, set.All.Sum(s => s.GetPeers().Count(p => p.Direction == PeerDirection.Outbound)));
        }

        [Fact]
        public async Task AGossipDialForAMemberThatLinkedMeanwhileEndsWithItAndOpensNoConnection()
        {
            var log = new RecordingLoggerFactory();
            await using var set = new SessionSet();
            var alice = set.Start("alice", o => o.LoggerFactory = log);
            var bob = set.Start("bob");
            await bob.ConnectAsync(SessionSet.EndpointOf(alice));
            Assert.Single(log.Named("ConnectionAccepted"));

            // As gossip dials a member it heard of, when the dial's turn comes after the other side has linked: in a forming
            // mesh each such dial was a TLS handshake spent on a link that would be refused as a duplicate.
            var member = await bob.Connector.ConnectAsync(SessionSet.EndpointOf(alice), CancellationToken.None, new SoughtMember(alice.PeerId, "alice"));

            Assert.Equal(alice.PeerId, member.PeerId);
            Assert.Single(log.Named("ConnectionAccepted"));
        }

        [Fact]
        public async Task SimultaneousMutualConnectEndsWithOneLinkAndNoSpuriousNotices()
        {
            for (int round = 0; round < 25; round++)
            {
                await using var set = new SessionSet();
                var a = set.Start("a" + round);
                var b = set.Start("b" + round);
                var dials = new[] { a.ConnectAsync(SessionSet.EndpointOf(b)), b.ConnectAsync(SessionSet.EndpointOf(a)) };
                var peers = await Task.WhenAll(dials);
                Assert.Equal(b.UserName, peers[0].UserName);
                Assert.Equal(a.UserName, peers[1].UserName);

                // A round trip proves the one link works both ways, and lets any stray notice arrive before we count.
                a.Send("ping " + round);
                b.Send("pong " + round);
                await Eventually.True(() => a.MessagesReceived == 1 && b.MessagesReceived == 1, "the round trip");

                Assert.Equal(1, a.PeerCount);
                Assert.Equal(1, b.PeerCount);
                var aEnd = Assert.Single(a.GetPeers());
                var bEnd = Assert.Single(b.GetPeers());
                Assert.NotEqual(aEnd.Direction, bEnd.Direction);
                foreach (var session in new[] { a, b })
                {
                    Assert.Single(SessionSet.Take(session, ChatMessageKind.Joined));
                    Assert.Empty(SessionSet.Take(session, ChatMessageKind.Left));
                }
            }
        }

        [Fact]
        public async Task NamesStayUniqueAndViewsConvergeWhenTwoNewcomersShareANameAndJoinAtOnce()
        {
            for (int round = 0; round < 10; round++)
            {
                await using var set = new SessionSet();
                var m1 = set.Start("m1");
                var m2 = set.Start("m2");
                await m2.ConnectAsync(SessionSet.EndpointOf(m1));
                await Eventually.True(() => m1.PeerCount == 1 && m2.PeerCount == 1, "the two members linked");

                var n1 = set.Start("bob");
                var n2 = set.Start("bob");
                var joins = new[] { Join(n1, m1), Join(n2, m2) };
                var outcomes = await Task.WhenAll(joins);

                // Exactly one bob stays; the other ends with a name-taken error, from its dial or from its session.
                await Eventually.True(() => new[] { n1, n2 }.Count(n => n.State == ChatSessionState.Running) == 1, "one bob stopped");
                var loser = n1.State == ChatSessionState.Running ? n2 : n1;
                var loserOutcome = loser == n1 ? outcomes[0] : outcomes[1];
                Assert.True(loserOutcome?.Code == ChatErrorCode.UserNameTaken || loser.Failure?.Code == ChatErrorCode.UserNameTaken,
                    $"the refused bob was told its name is taken (dial: {loserOutcome?.Message}, session: {loser.StopReason})");
                var winner = loser == n1 ? n2 : n1;
                await Eventually.True(() => new[] { m1, m2, winner }.All(s => s.PeerCount == 2), "the three that remain form a full mesh");
                foreach (var session in new[] { m1, m2, winner })
                {
                    var view = session.GetPeers().Select(p => p.UserName).Append(session.UserName).OrderBy(n => n).ToList();
                    Assert.True(view.SequenceEqual(new[] { "bob", "m1", "m2" }), Describe(session, loser));
                }
            }
        }

        private static string Describe(ChatSession session, ChatSession loser) =>
            $"{session.UserName}/{session.PeerId.Substring(0, 4)} sees "
            + string.Join("; ", session.GetPeers().Select(p => $"{p.UserName}/{p.PeerId.Substring(0, 4)} {p.State}"))
            + " | notices " + string.Join("; ", session.Inbox.Take().Select(m => $"{m.Kind} {m.Sender}/{m.SenderId.Substring(0, 4)} {m.Reason} {m.Text}"))
            + $" | loser {loser.PeerId.Substring(0, 4)}: {loser.StopReason}";

        private static async Task<ChatException?> Join(ChatSession newcomer, ChatSession through)
        {
            try
            {
                await newcomer.ConnectAsync(SessionSet.EndpointOf(through));
                return null;
            }
            catch (ChatException e)
            {
                return e;
            }
        }
    }
}
