using System;
using System.IO;
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
                    using (var certificate = TestCertificates.SelfSigned())
                    {
                        var tls = new SslStream(stream, true);
                        await tls.AuthenticateAsClientAsync(Options(certificate));
                    }
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
        [InlineData("none", "no certificate")]
        public async Task AnUnusableClientCertificateIsRefusedInTlsWithoutCostToTheMembers(string kind, string reason)
        {
            await using var pair = await HonestPair.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromSeconds(10));
            using var socket = await ConnectAsync(pair.A.Port);
            int skip = pair.LogA.Count;
            var stream = new NetworkStream(socket);
            await stream.WriteAsync(TlsPreamble);
            await ReadExactlyAsync(stream, 8);
            using var certificate = kind == "expired" ? TestCertificates.Expired() : kind == "rsa" ? TestCertificates.Rsa() : null;
            var tls = new SslStream(stream, true);
            try
            {
                await tls.AuthenticateAsClientAsync(Options(certificate));
                // TLS 1.3 ends the client's part before the server has judged its certificate: the verdict comes on read.
                await tls.ReadAsync(new byte[64]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is AuthenticationException || e is IOException)
            {
            }
            var failed = await pair.LogA.WaitForAsync(e => e.Event == "HandshakeFailed" && e["code"] == "tls", "A refuses the certificate", skip: skip);
            Assert.Contains(reason, failed["reason"]);
            Assert.True(await ClosedAsync(socket), "the hostile connection was closed");
            Assert.Equal(1, pair.A.PeerCount);
            await pair.StopAndVerifyAsync();
        }

        private static SslClientAuthenticationOptions Options(X509Certificate2? certificate) => new SslClientAuthenticationOptions
        {
            TargetHost = "PSGroupChat",
            ClientCertificates = certificate == null ? null : new X509CertificateCollection { certificate },
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        };

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
