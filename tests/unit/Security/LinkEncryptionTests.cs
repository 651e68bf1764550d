using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using PSGroupChat.Tests.Hardening;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Security
{
    /// <summary>Every link is TLS by default, shows each member's key, and a link of another mode or version is refused clearly.</summary>
    public class LinkEncryptionTests
    {
        [Fact]
        public async Task LinksAreEncryptedByDefaultAndEachSideShowsTheOthersKey()
        {
            await using var set = new SessionSet();
            var alice = set.Start("alice");
            var bob = set.Start("bob");
            await bob.ConnectAsync(SessionSet.EndpointOf(alice));
            await Eventually.True(() => alice.PeerCount == 1, "alice links bob");

            Assert.True(alice.Encrypted);
            Assert.Matches("^SHA256:[A-Za-z0-9+/]{43}$", alice.Fingerprint);
            Assert.NotEqual(alice.Fingerprint, bob.Fingerprint);
            var bobAtAlice = Assert.Single(alice.GetPeers());
            var aliceAtBob = Assert.Single(bob.GetPeers());
            Assert.True(bobAtAlice.Encrypted);
            Assert.True(aliceAtBob.Encrypted);
            Assert.Equal(bob.Fingerprint, bobAtAlice.Fingerprint);
            Assert.Equal(alice.Fingerprint, aliceAtBob.Fingerprint);

            var joined = Assert.Single(SessionSet.Take(alice, ChatMessageKind.Joined));
            Assert.Equal(bob.Fingerprint, joined.Fingerprint);
            Assert.Equal($"bob joined ({bob.Fingerprint})", joined.ToString());
        }

        [Fact]
        public async Task PlaintextOnBothSidesWorksAndSaysSo()
        {
            await using var set = new SessionSet();
            var alice = set.Start("alice", o => o.Plaintext = true);
            var bob = set.Start("bob", o => o.Plaintext = true);
            await bob.ConnectAsync(SessionSet.EndpointOf(alice));
            await Eventually.True(() => alice.PeerCount == 1, "alice links bob");
            Assert.False(alice.Encrypted);
            Assert.Null(alice.Fingerprint);
            var peer = Assert.Single(alice.GetPeers());
            Assert.False(peer.Encrypted);
            Assert.Null(peer.Fingerprint);
            Assert.Null(Assert.Single(SessionSet.Take(alice, ChatMessageKind.Joined)).Fingerprint);
        }

        [Theory]
        [InlineData(false, "This chat is encrypted; the peer at", "This session runs -Plaintext")]
        [InlineData(true, "This session runs -Plaintext; the peer at", "This chat is encrypted")]
        public async Task AModeMismatchIsRefusedWithAClearErrorOnBothSides(bool dialerPlaintext, string dialerSays, string listenerLogs)
        {
            var log = new RecordingLoggerFactory();
            await using var set = new SessionSet();
            var listener = set.Start("listener", o => { o.Plaintext = !dialerPlaintext; o.LoggerFactory = log; });
            var dialer = set.Start("dialer", o => o.Plaintext = dialerPlaintext);
            var error = await Assert.ThrowsAsync<ChatException>(() => dialer.ConnectAsync(SessionSet.EndpointOf(listener)));
            Assert.Equal(ChatErrorCode.HandshakeFailed, error.Code);
            Assert.StartsWith(dialerSays, error.Message);
            var logged = await log.WaitForAsync(e => e.Event == "HandshakeFailed" && e["code"] == "mode", "the listener logs the mismatch");
            Assert.StartsWith(listenerLogs, logged["reason"]);
            Assert.Equal(0, listener.PeerCount);
            Assert.Equal(0, dialer.PeerCount);
        }

        [Fact]
        public async Task AProtocol1PeerIsRefusedWithAProtocol1RefuseItUnderstands()
        {
            await using var set = new SessionSet();
            var session = set.Start("modern");
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, session.Port);
            await socket.SendAsync(V1Frame("{\"type\":\"hello\",\"version\":1,\"id\":\"0123456789abcdef0123456789abcdef\",\"user\":\"old\",\"port\":1,\"since\":1,\"nonce\":\"AAECAwQFBgcICQoLDA0ODw==\"}"), SocketFlags.None);
            var received = await ReadAllAsync(socket);
            int length = (received[0] << 24) | (received[1] << 16) | (received[2] << 8) | received[3];
            Assert.Equal(received.Length - 4, length);
            using var refuse = System.Text.Json.JsonDocument.Parse(received.AsMemory(4));
            Assert.Equal("refuse", refuse.RootElement.GetProperty("type").GetString());
            Assert.Equal("version", refuse.RootElement.GetProperty("code").GetString());
            Assert.Contains("protocol 2", refuse.RootElement.GetProperty("reason").GetString());
            Assert.Contains("upgrade", refuse.RootElement.GetProperty("reason").GetString());
        }

        [Fact]
        public async Task DialingAProtocol1PeerSaysItMustBeUpgraded()
        {
            await using var set = new SessionSet();
            var session = set.Start("modern");
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                // A v1 peer sends its hello as soon as it accepts.
                var old = Task.Run(async () =>
                {
                    using var socket = await listener.AcceptSocketAsync();
                    await socket.SendAsync(V1Frame("{\"type\":\"hello\",\"version\":1,\"id\":\"0123456789abcdef0123456789abcdef\",\"user\":\"old\",\"port\":1,\"since\":1,\"nonce\":\"AAECAwQFBgcICQoLDA0ODw==\"}"), SocketFlags.None);
                    await ReadAllAsync(socket);
                });
                var error = await Assert.ThrowsAsync<ChatException>(() => session.ConnectAsync(new ChatEndpoint("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port)));
                Assert.Equal(ChatErrorCode.HandshakeFailed, error.Code);
                Assert.Contains("speaks protocol 1", error.Message);
                Assert.Contains("upgrade it", error.Message);
                await old;
            }
            finally
            {
                listener.Stop();
            }
        }

        /// <summary>A frame of protocol 1: a 4-byte big-endian length, then JSON.</summary>
        private static byte[] V1Frame(string json)
        {
            var payload = Encoding.UTF8.GetBytes(json);
            var frame = new byte[4 + payload.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
            payload.CopyTo(frame, 4);
            return frame;
        }

        private static async Task<byte[]> ReadAllAsync(Socket socket)
        {
            var all = new System.IO.MemoryStream();
            var buffer = new byte[4096];
            using var limit = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                int n;
                while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token)) > 0) all.Write(buffer, 0, n);
            }
            catch (SocketException)
            {
                // a reset after the refusal: what arrived before it counts
            }
            return all.ToArray();
        }
    }
}
