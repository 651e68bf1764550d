using System.Linq;
using System.Text;
using System.Threading.Tasks;
using PSGroupChat.Tests.Hardening;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Security
{
    /// <summary>An active relay that terminates TLS on both sides with keys of its own, and a stranger without the secret.</summary>
    public class RelayTests
    {
        private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a long shared secret for the relay tests");

        [Fact]
        public async Task EvenInAnOpenChatARelayPassingTheFramesOnIsRefusedForTheDialersKeyProof()
        {
            var aliceLog = new RecordingLoggerFactory();
            await using var set = new SessionSet();
            var alice = set.Start("alice", o => o.LoggerFactory = aliceLog);
            var bob = set.Start("bob");
            await using var relay = new TlsRelay(alice.Port);
            var error = await Assert.ThrowsAsync<ChatException>(() => bob.ConnectAsync(new ChatEndpoint("127.0.0.1", relay.Port)));
            Assert.Equal(ChatErrorCode.AuthenticationFailed, error.Code);
            Assert.Contains("relay", (await aliceLog.WaitForAsync(e => e.Event == "KeyRefused", "alice reports the relay"))["reason"]);
            await relay.Finished;
            Assert.False(WireBytes.HasText(relay.ServerToClient, "alice"), "the relay learned alice's name");
            Assert.Equal(0, alice.PeerCount);
            Assert.Equal(0, bob.PeerCount);
        }

        [Fact]
        public async Task InAnOpenChatARelayThatSignsForItselfGoesUnnoticedExceptForTheKeysShown()
        {
            // The control: without a secret or trusted keys, a relay that re-signs the dialer's key proof with its own key
            // reads the chat, so the tests below, which use such a relay, test something.
            await using var set = new SessionSet();
            var alice = set.Start("alice");
            var bob = set.Start("bob");
            await using var relay = new TlsRelay(alice.Port, resign: true);
            await bob.ConnectAsync(new ChatEndpoint("127.0.0.1", relay.Port));
            bob.Send("only for alice");
            await Eventually.True(() => alice.MessagesReceived == 1, "alice hears bob through the relay");
            Assert.True(WireBytes.HasText(relay.ClientToServer, "only for alice"));
            // What a user comparing fingerprints would catch: each side sees the relay's key, not the other's.
            Assert.Equal(relay.Fingerprint, Assert.Single(alice.GetPeers()).Fingerprint);
            Assert.Equal(relay.Fingerprint, Assert.Single(bob.GetPeers()).Fingerprint);
        }

        [Fact]
        public async Task WithASharedSecretTheRelayIsRefusedAndBothMembersReportIt()
        {
            var aliceLog = new RecordingLoggerFactory();
            await using var set = new SessionSet();
            var alice = set.Start("alice", o => { o.SharedSecret = Secret; o.LoggerFactory = aliceLog; });
            var bob = set.Start("bob", o => o.SharedSecret = Secret);
            await using var relay = new TlsRelay(alice.Port, resign: true);
            var error = await Assert.ThrowsAsync<ChatException>(() => bob.ConnectAsync(new ChatEndpoint("127.0.0.1", relay.Port)));
            Assert.Equal(ChatErrorCode.AuthenticationFailed, error.Code);
            Assert.Contains("relays the connection", error.Message);
            var refused = await aliceLog.WaitForAsync(e => e.Event == "KeyRefused", "alice reports the relay");
            Assert.Contains("relay", refused["reason"]);
            Assert.Equal(0, alice.PeerCount);
            Assert.Equal(0, bob.PeerCount);
            await relay.Finished;
            Assert.False(WireBytes.HasText(relay.ServerToClient, "alice"), "the relay learned alice's name");

            // Directly, the same two members link: the secret was right all along.
            await bob.ConnectAsync(SessionSet.EndpointOf(alice));
        }

        [Fact]
        public async Task WithTrustedPeersTheRelayIsRefusedAndBothMembersReportIt()
        {
            var aliceLog = new RecordingLoggerFactory();
            var bobLog = new RecordingLoggerFactory();
            var aliceIdentity = PSGroupChat.Security.ChatIdentity.CreateEphemeral();
            var bobIdentity = PSGroupChat.Security.ChatIdentity.CreateEphemeral();
            await using var set = new SessionSet();
            var alice = set.Start("alice", o => { o.Identity = aliceIdentity; o.TrustedPeers = new[] { bobIdentity.Fingerprint }; o.LoggerFactory = aliceLog; });
            var bob = set.Start("bob", o => { o.Identity = bobIdentity; o.TrustedPeers = new[] { aliceIdentity.Fingerprint }; o.LoggerFactory = bobLog; });
            await using var relay = new TlsRelay(alice.Port, resign: true);
            var error = await Assert.ThrowsAsync<ChatException>(() => bob.ConnectAsync(new ChatEndpoint("127.0.0.1", relay.Port)));
            Assert.Equal(ChatErrorCode.KeyRejected, error.Code);
            Assert.Contains("-TrustedPeer", error.Message);
            Assert.Contains(relay.Fingerprint, (await bobLog.WaitForAsync(e => e.Event == "KeyRefused", "bob reports the relay's key"))["reason"]);
            await relay.Finished;
            Assert.Equal(0, alice.PeerCount);
            Assert.Equal(0, bob.PeerCount);

            await bob.ConnectAsync(SessionSet.EndpointOf(alice));
            await Eventually.True(() => alice.PeerCount == 1, "alice admits bob, whose key she trusts");
            Assert.Equal(bobIdentity.Fingerprint, Assert.Single(alice.GetPeers()).Fingerprint);
        }

        [Theory]
        [InlineData("wrong secret")]
        [InlineData("no secret")]
        public async Task AStrangerWithoutTheSecretSeesNothingOfTheChat(string who)
        {
            await using var set = new SessionSet();
            var alice = set.Start("alice-member", o => o.SharedSecret = Secret);
            var bob = set.Start("bob-member", o => o.SharedSecret = Secret);
            await bob.ConnectAsync(SessionSet.EndpointOf(alice));
            bob.Send("members only talk");
            await Eventually.True(() => alice.MessagesReceived == 1, "alice hears bob");

            var stranger = set.Start("stranger", o => o.SharedSecret = who == "no secret" ? null : Encoding.UTF8.GetBytes("not the secret at all"));
            var error = await Assert.ThrowsAsync<ChatException>(() => stranger.ConnectAsync(SessionSet.EndpointOf(alice)));
            Assert.Equal(ChatErrorCode.AuthenticationFailed, error.Code);
            bob.Send("more members only talk");
            await Eventually.True(() => alice.MessagesReceived == 2, "alice hears bob again");
            Assert.Equal(0, stranger.PeerCount);
            Assert.Empty(stranger.GetPeers());
            Assert.Empty(stranger.Inbox.Take(_ => true));
            Assert.Equal(1, alice.PeerCount);

            // What the stranger's own connection carried, decrypted: a relay holding no secret is such a stranger.
            await using var relay = new TlsRelay(alice.Port, resign: true);
            await Assert.ThrowsAsync<ChatException>(() => stranger.ConnectAsync(new ChatEndpoint("127.0.0.1", relay.Port)));
            await relay.Finished;
            var seen = relay.ServerToClient;
            Assert.True(seen.Length > 0, "alice answered the stranger");
            Assert.False(WireBytes.HasText(seen, "alice-member"), "the stranger learned alice's name");
            Assert.False(WireBytes.HasText(seen, "bob-member"), "the stranger learned a member's name");
            Assert.False(WireBytes.HasText(seen, "members only"), "the stranger saw a message");
            Assert.False(WireBytes.HasPeerId(seen, bob.PeerId), "the stranger learned a member's id");
        }
    }
}
