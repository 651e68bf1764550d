using System;
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
    /// <summary>Announcing and browsing rooms over an in-memory multicast group, on a fake clock.</summary>
    public class RoomDiscoveryTests
    {
        private static RoomAnnouncement Alice(byte[]? secret = null) => new RoomAnnouncement(
            RoomAnnouncement.KeyFor("Lobby", secret), "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", secret == null ? "alice" : null, 49152,
            new[] { IPAddress.Parse("10.77.0.1") }, secret != null);

        /// <summary>Advances the fake clock in small steps until <paramref name="condition"/> holds.</summary>
        private static async Task Advance(FakeTimeProvider time, TimeSpan by, Func<bool>? condition = null)
        {
            for (var passed = TimeSpan.Zero; passed < by; passed += TimeSpan.FromMilliseconds(50))
            {
                time.Advance(TimeSpan.FromMilliseconds(50));
                await Task.Yield();
            }
            if (condition != null) await Eventually.True(condition, "the group settled");
        }

        [Fact]
        public async Task ABrowserHearsARoomAndItsGoodbye()
        {
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            var alice = RoomDiscovery.Start(group.Join("10.77.0.1"), time, Alice());
            await using var bob = RoomDiscovery.Start(group.Join("10.77.0.2"), time, null);
            RoomAnnouncement? withdrawn = null;
            bob.Browser.Withdrawn += a => withdrawn = a;

            await Advance(time, TimeSpan.FromSeconds(3));
            await Eventually.True(() => bob.Browser.Current.Count == 1, "bob heard alice's room");
            var heard = bob.Browser.Current.Single();
            var expected = Alice();
            Assert.Equal(expected, heard with { Addresses = expected.Addresses, Source = null });
            Assert.Equal(IPAddress.Parse("10.77.0.1"), heard.Source);
            Assert.Equal(IPAddress.Parse("10.77.0.1"), heard.Addresses.Single());

            await alice.DisposeAsync();
            await Eventually.True(() => withdrawn != null && bob.Browser.Current.Count == 0, "alice's goodbye withdrew the room");
        }

        [Fact]
        public async Task AnAdvertiserProbesThreeTimesThenAnnouncesTwice()
        {
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            await using (RoomDiscovery.Start(group.Join("10.77.0.1"), time, Alice()))
            {
                await Advance(time, TimeSpan.FromSeconds(2));
                await Eventually.True(() => group.Messages().Count(m => m.IsResponse) >= 2, "two announcements");
            }
            var messages = group.Messages();
            var probes = messages.Where(m => !m.IsResponse && m.Authorities.Count > 0).ToList();
            Assert.Equal(3, probes.Count);
            Assert.All(probes, p => Assert.Equal(new DnsQuestion(Alice().Instance, DnsRecordType.Any, true), p.Questions.Single()));
            var responses = messages.Where(m => m.IsResponse).ToList();
            Assert.Equal(3, responses.Count); // two announcements and the goodbye
            Assert.All(responses.Last().Answers, r => Assert.Equal(0u, r.Ttl));
            Assert.True(messages.IndexOf(probes.Last()) < messages.IndexOf(responses.First()), "announced only after probing");
        }

        [Fact]
        public async Task WithASecretNoRoomOrUserNameIsOnTheWire()
        {
            var secret = Encoding.UTF8.GetBytes("correct horse battery staple");
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            await using (var alice = RoomDiscovery.Start(group.Join("10.77.0.1"), time, Alice(secret)))
            {
                await Advance(time, TimeSpan.FromSeconds(2));
                await Eventually.True(() => alice.Browser.Current.Count == 1, "alice hears herself");
                Assert.Equal(RoomAnnouncement.KeyFor("lobby", secret), alice.Browser.Current.Single().RoomKey);
                Assert.NotEqual(RoomAnnouncement.KeyFor("lobby", Encoding.UTF8.GetBytes("another secret")), alice.Browser.Current.Single().RoomKey);
            }
            foreach (var (_, bytes) in group.Sent)
            {
                var text = Encoding.UTF8.GetString(bytes);
                Assert.DoesNotContain("lobby", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("alice", text, StringComparison.OrdinalIgnoreCase);
            }
        }

        [Fact]
        public async Task AFloodOfFakeAnnouncementsIsHeldToTheBound()
        {
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            await using var bob = RoomDiscovery.Start(group.Join("10.77.0.2"), time, null);
            var from = new IPEndPoint(IPAddress.Parse("10.77.0.66"), 5353);
            for (int i = 0; i < 1000; i++)
            {
                var fake = Alice() with { PeerId = $"{i:x32}" };
                group.Send(from, DnsMessageWriter.Write(DnsMessage.Response(fake.Records())));
                group.Send(from, new byte[] { 0, 0, 0x84, 0, 0, 9, 0, 9, 0, 0, 0, 0, 1, 2, 3 });
            }
            await Eventually.True(() => bob.Malformed == 1000, "every datagram was read");
            Assert.Equal(RoomBrowser.MaxAnnouncements, bob.Browser.Current.Count);

            // Once their time to live ends, the fakes make room for a real one.
            await Advance(time, TimeSpan.FromSeconds(RoomAnnouncement.Ttl + 1));
            var real = Alice() with { PeerId = "ffffffffffffffffffffffffffffffff" };
            group.Send(from, DnsMessageWriter.Write(DnsMessage.Response(real.Records())));
            await Eventually.True(() => bob.Browser.Current.Any(a => a.PeerId == real.PeerId), "the real announcement was held");
        }

        [Fact]
        public async Task AQueryNamingTheRoomAsKnownIsNotAnswered()
        {
            var group = new MemoryMulticastGroup();
            var time = new FakeTimeProvider();
            await using var alice = RoomDiscovery.Start(group.Join("10.77.0.1"), time, Alice());
            await Advance(time, TimeSpan.FromSeconds(2));
            await Eventually.True(() => group.Messages().Count(m => m.IsResponse) >= 2, "alice announced");
            await Advance(time, TimeSpan.FromSeconds(2)); // past the one-second repeat guard
            int before = group.Messages().Count(m => m.IsResponse);

            var from = new IPEndPoint(IPAddress.Parse("10.77.0.2"), 5353);
            var question = new[] { new DnsQuestion(RoomAnnouncement.ServiceType, DnsRecordType.Ptr) };
            var knowing = new DnsMessage(false, question, new DnsRecord[] { new PtrRecord(RoomAnnouncement.ServiceType, 100, Alice().Instance) }, Array.Empty<DnsRecord>(), Array.Empty<DnsRecord>());
            group.Send(from, DnsMessageWriter.Write(knowing));
            group.Send(from, DnsMessageWriter.Write(DnsMessage.Query(question)));
            await Eventually.True(() => group.Messages().Count(m => m.IsResponse) == before + 1, "the plain query was answered");
            group.Send(from, DnsMessageWriter.Write(DnsMessage.Query(question)));
            await Advance(time, TimeSpan.FromMilliseconds(500));
            Assert.Equal(before + 1, group.Messages().Count(m => m.IsResponse)); // not twice within a second
        }
    }
}
