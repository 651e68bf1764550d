using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using PSGroupChat.Discovery;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Discovery
{
    /// <summary>
    /// A session's presence in a room: whom it dials and how often. On an in-memory multicast group, so that no packet
    /// reaches a real network; the dialing rules run on a fake clock against a recording dialer, the mesh with real
    /// sessions on loopback.
    /// </summary>
    public class RoomPresenceTests
    {
        private const string OwnId = "ffffffffffffffffffffffffffffffff";

        /// <summary>Records every dial; each stays in flight until the test ends it.</summary>
        private sealed class Dialer
        {
            public ConcurrentQueue<(ChatEndpoint Endpoint, TaskCompletionSource<bool> Done)> Dials { get; } = new ConcurrentQueue<(ChatEndpoint, TaskCompletionSource<bool>)>();

            public HashSet<string> Members { get; } = new HashSet<string>();

            public Task Dial(ChatEndpoint endpoint)
            {
                var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                Dials.Enqueue((endpoint, done));
                return done.Task;
            }

            public void FailAll()
            {
                foreach (var (_, done) in Dials) done.TrySetException(new ChatException(ChatErrorCode.EndpointUnreachable, "refused"));
            }

            public List<string> Endpoints() => Dials.Select(d => d.Endpoint.ToString()).ToList();
        }

        private static RoomPresence Present(MemoryMulticastGroup group, FakeTimeProvider time, Dialer dialer, string room = "lobby", byte[]? secret = null) =>
            RoomPresence.Start(group.Join("10.77.0.1"), time, room, secret, OwnId, "alice", 4000, () => dialer.Members.ToList(), dialer.Dial);

        private static RoomAnnouncement Member(int n, string room = "lobby", byte[]? secret = null, string address = "10.77.0.2") =>
            new RoomAnnouncement(RoomAnnouncement.KeyFor(room, secret), $"{n:x32}", secret == null ? $"user{n}" : null, 5000 + n,
                new[] { IPAddress.Parse(address) }, secret != null);

        private static void Announce(MemoryMulticastGroup group, RoomAnnouncement announcement, string from = "10.77.0.2") =>
            group.Send(new IPEndPoint(IPAddress.Parse(from), 5353), DnsMessageWriter.Write(DnsMessage.Response(announcement.Records())));

        /// <summary>Lets the presence's loops run with the clock moved on by <paramref name="by"/>.</summary>
        private static async Task Advance(FakeTimeProvider time, TimeSpan by)
        {
            for (var passed = TimeSpan.Zero; passed < by; passed += TimeSpan.FromMilliseconds(250))
            {
                time.Advance(TimeSpan.FromMilliseconds(250));
                await Task.Delay(1);
            }
        }

        [Fact]
        public async Task ItDialsAMemberOfItsRoomAtTheAddressTheAnnouncementCameFrom()
        {
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            var dialer = new Dialer();
            await using var presence = Present(group, time, dialer);
            Announce(group, Member(1));
            await Eventually.True(() => dialer.Dials.Count == 1, "the member was dialed");
            Assert.Equal("10.77.0.2:5001", dialer.Endpoints().Single());
        }

        [Fact]
        public async Task ItDialsNeitherItselfNorAMemberNorAnotherRoomNorAnotherSecretNorAForeignAddress()
        {
            var secret = Encoding.UTF8.GetBytes("s3cret");
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            var dialer = new Dialer();
            dialer.Members.Add(Member(2, secret: secret).PeerId);
            await using var presence = Present(group, time, dialer, secret: secret);
            await Advance(time, TimeSpan.FromSeconds(3)); // its own announcement is out, and heard back
            await Eventually.True(() => presence.Heard.Any(a => a.PeerId == OwnId), "it hears itself");

            Announce(group, Member(2, secret: secret));                                      // already a member
            Announce(group, Member(3, room: "other", secret: secret));                       // another room
            Announce(group, Member(4));                                                      // the room without the secret
            Announce(group, Member(5, secret: Encoding.UTF8.GetBytes("another")));           // another secret
            Announce(group, Member(6, secret: secret, address: "192.0.2.9"));                // points elsewhere than its sender
            Announce(group, Member(7, secret: secret));                                      // the one to dial
            await Eventually.True(() => dialer.Dials.Count == 1, "the one member to dial was dialed");
            await Advance(time, TimeSpan.FromSeconds(12)); // two sweeps: still nobody else
            Assert.Equal(new[] { "10.77.0.2:5007" }, dialer.Endpoints());
        }

        [Fact]
        public async Task AFloodOfAnnouncementsIsDialedAFewAtATimeAndEachEndpointOnlyOncePerBackoff()
        {
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            var dialer = new Dialer();
            await using var presence = Present(group, time, dialer);
            for (int n = 1; n <= 300; n++) Announce(group, Member(n));
            await Eventually.True(() => presence.Heard.Count == RoomBrowser.MaxAnnouncements, "the browser holds its bound");
            await Eventually.True(() => dialer.Dials.Count == RoomPresence.MaxDialsAtOnce, "three dials");
            await Advance(time, TimeSpan.FromSeconds(6));
            Assert.Equal(RoomPresence.MaxDialsAtOnce, dialer.Dials.Count); // no more while three are in flight

            dialer.FailAll(); // refused: each frees its slot for the next
            await Eventually.True(() => dialer.Dials.Count == 2 * RoomPresence.MaxDialsAtOnce, "three more dials");
            for (int round = 0; round < 100 && dialer.Dials.Count < RoomBrowser.MaxAnnouncements; round++)
            {
                dialer.FailAll();
                await Task.Delay(5);
            }
            await Eventually.True(() => { dialer.FailAll(); return dialer.Dials.Count == RoomBrowser.MaxAnnouncements; }, "each held announcement dialed once");
            await Advance(time, TimeSpan.FromSeconds(6));
            Assert.Equal(RoomBrowser.MaxAnnouncements, dialer.Dials.Count); // within the back-off, none again
            Assert.Equal(dialer.Dials.Count, dialer.Endpoints().Distinct().Count());

            await Advance(time, RoomPresence.DialBackoff); // back-off over: the sweep dials them again, still three at a time
            await Eventually.True(() => dialer.Dials.Count == RoomBrowser.MaxAnnouncements + RoomPresence.MaxDialsAtOnce, "re-dialed after the back-off");
        }

        [Fact]
        public async Task ThreeSessionsInOneRoomEndInAFullMeshAndOneInAnotherRoomStaysAlone()
        {
            var group = new MemoryMulticastGroup();
            var sessions = new List<ChatSession>();
            try
            {
                foreach (var (name, room) in new[] { ("ann", "lobby"), ("bob", "lobby"), ("cid", "LOBBY"), ("dan", "kitchen") })
                {
                    sessions.Add(ChatSession.Start(new ChatSessionOptions
                    {
                        UserName = name,
                        Room = room,
                        ListenAddress = IPAddress.Loopback,
                        MulticastLink = _ => group.Join("127.0.0.1"),
                    }));
                }
                await Eventually.True(() => sessions.Take(3).All(s => s.PeerCount == 2), "ann, bob and cid are linked to each other");
                Assert.Equal(0, sessions[3].PeerCount);
                Assert.All(sessions, s => Assert.Null(s.Presence!.Unavailable));
            }
            finally
            {
                foreach (var session in sessions) await session.StopAsync();
            }
        }

        [Fact]
        public async Task StoppingTheSessionWithdrawsItsAnnouncement()
        {
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            await using var listener = RoomDiscovery.Start(group.Join("127.0.0.2"), time, null);
            var session = ChatSession.Start(new ChatSessionOptions
            {
                UserName = "ann",
                Room = "lobby",
                ListenAddress = IPAddress.Loopback,
                TimeProvider = time,
                MulticastLink = _ => group.Join("127.0.0.1"),
            });
            await Advance(time, TimeSpan.FromSeconds(3));
            await Eventually.True(() => listener.Browser.Current.Any(a => a.PeerId == session.PeerId), "the room is heard");
            RoomAnnouncement? withdrawn = null;
            listener.Browser.Withdrawn += a => withdrawn = a;
            await session.StopAsync();
            await Eventually.True(() => withdrawn?.PeerId == session.PeerId && listener.Browser.Current.Count == 0, "the goodbye withdrew it");
        }

        [Fact]
        public async Task WithoutMulticastTheSessionStartsAndSaysWhyOnce()
        {
            var session = ChatSession.Start(new ChatSessionOptions
            {
                UserName = "ann",
                Room = "lobby",
                ListenAddress = IPAddress.Loopback,
                MulticastLink = _ => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressAlreadyInUse),
            });
            try
            {
                Assert.Equal(ChatSessionState.Running, session.State);
                Assert.Contains("port 5353 could not be used", session.Presence!.Unavailable);
                Assert.Contains($"-Peer <this host>:{session.Port}", session.Presence.Unavailable);
                using var bob = ChatSession.Start(new ChatSessionOptions { UserName = "bob", ListenAddress = IPAddress.Loopback });
                await bob.ConnectAsync(new ChatEndpoint("127.0.0.1", session.Port)); // the chat works by address
                await Eventually.True(() => session.PeerCount == 1, "ann linked to bob");
            }
            finally
            {
                await session.StopAsync();
            }
        }

        [Theory]
        [InlineData("")]
        [InlineData("two words")]
        [InlineData("bell\a")]
        [InlineData("a-room-name-that-is-far-too-long-for-the-limit")]
        public void ABadRoomNameIsRefusedBeforeAnythingStarts(string room)
        {
            var e = Assert.Throws<ChatException>(() => ChatSession.Start(new ChatSessionOptions { UserName = "ann", Room = room, ListenAddress = IPAddress.Loopback }));
            Assert.Equal(ChatErrorCode.InvalidArgument, e.Code);
        }

        [Fact]
        public async Task ASurveyListsRoomsByNameAndHidesSecretOnes()
        {
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            var secret = Encoding.UTF8.GetBytes("s3cret");
            var survey = RoomSurvey.BrowseAsync(group.Join("10.77.0.9"), time, TimeSpan.FromSeconds(2), default);
            Announce(group, Member(1));
            Announce(group, Member(2));
            Announce(group, Member(3, secret: secret), from: "10.77.0.3");
            Announce(group, Member(4, room: "kitchen"));
            await Eventually.True(() => { time.Advance(TimeSpan.FromMilliseconds(100)); return survey.IsCompleted; }, "the survey ended");
            var rooms = await survey;
            Assert.Equal(new[] { "kitchen", "lobby", LanChatRoom.SecretRoom }, rooms.Select(r => r.Room));
            var lobby = rooms[1];
            Assert.Equal(new[] { "user1", "user2" }, lobby.Members);
            Assert.Equal(2, lobby.MemberCount);
            Assert.Equal(new[] { "10.77.0.2:5001", "10.77.0.2:5002" }, lobby.Endpoints);
            var hidden = rooms[2];
            Assert.True(hidden.SecretRequired);
            Assert.Empty(hidden.Members);
            Assert.Equal(RoomAnnouncement.KeyFor("lobby", secret), hidden.RoomKey);
        }
    }
}
