using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Tests.Hardening;
using Xunit;

namespace PSGroupChat.Tests.Security
{
    /// <summary>
    /// Hostile clients at the connection start and in TLS, while two honest members keep talking: each costs only its own
    /// connection, closed with a logged reason, and the honest members lose no message.
    /// </summary>
    public class HostileTlsTests
    {
        private static readonly byte[] TlsPreamble = { 0x50, 0x53, 0x47, 0x43, 0x02, 0x01, 0x00, 0x00 };
        // Short enough to keep the test quick, long enough for the honest pair's and the attacker's own TLS handshakes on a
        // loaded 2-core machine (1 s failed once there, in the attacker's handshake, before it could stall).
        private static readonly TimeSpan ShortDeadline = TimeSpan.FromSeconds(3);

        [Theory]
        [InlineData("silent after the preamble")]
        [InlineData("silent after TLS")]
        [InlineData("garbage instead of TLS")]
        [InlineData("garbage instead of a preamble")]
        public async Task AStallingOrGarbageClientIsClosedWithoutCostToTheMembers(string attack)
        {
            await using var pair = await HonestPair.StartAsync(o => o.HandshakeTimeout = ShortDeadline);
            using var socket = await ConnectAsync(pair.A.Port);
            int skip = pair.LogA.Count;
            var stream = new NetworkStream(socket);
            switch (attack)
            {
                case "silent after the preamble":
                    await stream.WriteAsync(TlsPreamble);
                    break;
                case "silent after TLS":
                    await stream.WriteAsync(TlsPreamble);
                    await ReadExactlyAsync(stream, 8);
                    var tls = new SslStream(stream, true);
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "PSGroupChat", RemoteCertificateValidationCallback = (_, _, _, _) => true });
                    break;
                case "garbage instead of TLS":
                    await stream.WriteAsync(TlsPreamble);
                    await stream.WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00 });
                    await stream.WriteAsync(new byte[2000]);
                    break;
                default:
                    await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: chat\r\n\r\n"));
                    break;
            }
            var failed = await pair.LogA.WaitForAsync(e => e.Event == "HandshakeFailed", "A closes the hostile connection", skip: skip);
            Assert.False(string.IsNullOrEmpty(failed["reason"]));
            Assert.True(await ClosedAsync(socket), "the hostile connection was closed");
            await pair.StopAndVerifyAsync();
        }

        [Theory]
        [InlineData("expired", "it has expired")]
        [InlineData("rsa", "not an ECDSA key")]
        public async Task AListenerWithAnUnusableCertificateIsRefusedInTlsWithoutCostToTheMembers(string kind, string reason)
        {
            await using var pair = await HonestPair.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromSeconds(10));
            using var certificate = kind == "expired" ? TestCertificates.Expired() : TestCertificates.Rsa();
            var hostile = new TcpListener(IPAddress.Loopback, 0);
            hostile.Start();
            try
            {
                var serving = Task.Run(async () =>
                {
                    using var socket = await hostile.AcceptSocketAsync();
                    var stream = new NetworkStream(socket);
                    await ReadExactlyAsync(stream, 8);
                    await stream.WriteAsync(TlsPreamble);
                    using var tls = new SslStream(stream, true);
                    try
                    {
                        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate });
                        await tls.ReadAsync(new byte[64]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                    }
                    catch (Exception e) when (e is AuthenticationException || e is IOException)
                    {
                        // the member refused the certificate: what this test expects
                    }
                });
                int skip = pair.LogA.Count;
                var error = await Assert.ThrowsAsync<ChatException>(() => pair.A.ConnectAsync(new ChatEndpoint("127.0.0.1", ((IPEndPoint)hostile.LocalEndpoint).Port)));
                Assert.Equal(ChatErrorCode.HandshakeFailed, error.Code);
                Assert.Contains(reason, error.Message);
                var failed = await pair.LogA.WaitForAsync(e => e.Event == "HandshakeFailed" && e["code"] == "tls", "A refuses the certificate", skip: skip);
                Assert.Contains(reason, failed["reason"]);
                await serving.WaitAsync(TimeSpan.FromSeconds(60));
                Assert.Equal(1, pair.A.PeerCount);
                await pair.StopAndVerifyAsync();
            }
            finally
            {
                hostile.Stop();
            }
        }

        /// <summary>
        /// A dialer presents no certificate: it proves its key with a signature in its auth frame. One that names no key,
        /// names a key it does not hold, signs for another listener's key (what a relay in the middle would pass on), or
        /// names a point off the curve is refused before the listener says more than hello.
        /// </summary>
        [Theory]
        [InlineData(RawChatClient.KeyClaim.None, null, "must name its key")]
        [InlineData(RawChatClient.KeyClaim.Borrowed, "auth-failed", "signature does not check")]
        [InlineData(RawChatClient.KeyClaim.ForAnotherListener, "auth-failed", "signature does not check")]
        [InlineData(RawChatClient.KeyClaim.OffTheCurve, "auth-failed", "not a point on the P-256 curve")]
        public async Task ADialerThatCannotProveItsKeyIsRefusedWithoutCostToTheMembers(RawChatClient.KeyClaim claim, string? code, string reason)
        {
            await using var pair = await HonestPair.StartAsync();
            int skip = pair.LogA.Count;
            using var intruder = await RawChatClient.ConnectAsync(pair.A.Port, "mallory");
            await intruder.SendFrameAsync(intruder.HelloJson());
            var hello = (await intruder.ReadFrameAsync())!.Value;
            Assert.Equal("hello", RawChatClient.Type(hello));
            await intruder.SendFrameAsync(intruder.AuthJson(null, hello.GetProperty("id").GetString()!, hello.GetProperty("nonce").GetBytesFromBase64(), claim));
            var frames = await intruder.ReadUntilClosedAsync();
            Assert.Equal(code == null ? Array.Empty<string>() : new[] { "refuse" }, frames.Select(RawChatClient.Type).ToArray());
            if (code != null) Assert.Equal(code, frames[0].GetProperty("code").GetString());
            var logged = await pair.LogA.WaitForAsync(e => (e.Event == "KeyRefused" || e.Event == "HandshakeFailed") && e["reason"]!.Contains(reason), "A says why", skip: skip);
            Assert.Equal(1, pair.A.PeerCount);
            await pair.StopAndVerifyAsync();
        }

        private static async Task<Socket> ConnectAsync(int port)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return socket;
        }

        private static async Task ReadExactlyAsync(Stream stream, int count)
        {
            var buffer = new byte[count];
            int read = 0;
            while (read < count)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(read));
                if (n == 0) throw new IOException("closed before the preamble");
                read += n;
            }
        }

        /// <summary>True once the session has closed the connection (an end of stream or a reset), within a generous limit.</summary>
        private static async Task<bool> ClosedAsync(Socket socket)
        {
            var buffer = new byte[4096];
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0) { }
                return true;
            }
            catch (SocketException)
            {
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
