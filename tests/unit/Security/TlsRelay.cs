using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace PSGroupChat.Tests.Security
{
    /// <summary>
    /// An active attacker in the middle: it accepts one connection, dials the real member, speaks the preamble to both
    /// and terminates TLS on each side with a key of its own, then passes the decrypted bytes on and keeps a copy of
    /// them. Against an open chat it is invisible; a secret bound to the keys, or -TrustedPeer, must catch it.
    /// </summary>
    public sealed class TlsRelay : IAsyncDisposable
    {
        private static readonly byte[] TlsPreamble = { 0x50, 0x53, 0x47, 0x43, 0x02, 0x01, 0x00, 0x00 };
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly int _targetPort;
        private readonly X509Certificate2 _certificate = TestCertificates.SelfSigned();
        private readonly MemoryStream _toServer = new MemoryStream();
        private readonly MemoryStream _toClient = new MemoryStream();
        private readonly Task _relay;
        private Socket? _client;
        private Socket? _server;

        public TlsRelay(int targetPort)
        {
            _targetPort = targetPort;
            _listener.Start();
            _relay = RelayOneAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>The relay's own key, which both members see in place of each other's.</summary>
        public string Fingerprint => TestCertificates.Fingerprint(_certificate);

        /// <summary>The decrypted bytes the dialing member sent (as far as the relay got).</summary>
        public byte[] ClientToServer { get { lock (_toServer) return _toServer.ToArray(); } }

        /// <summary>The decrypted bytes the member dialed sent back.</summary>
        public byte[] ServerToClient { get { lock (_toClient) return _toClient.ToArray(); } }

        /// <summary>Completes when the relay has ended (both directions done, or either TLS handshake failed).</summary>
        public Task Finished => _relay;

        private async Task RelayOneAsync()
        {
            try
            {
                _client = await _listener.AcceptSocketAsync();
                var fromClient = new NetworkStream(_client);
                await ReadExactlyAsync(fromClient, new byte[8]);
                await fromClient.WriteAsync(TlsPreamble);
                var clientSide = new SslStream(fromClient, false);
                await clientSide.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    ClientCertificateRequired = true,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                });

                _server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await _server.ConnectAsync(IPAddress.Loopback, _targetPort);
                var toServer = new NetworkStream(_server);
                await toServer.WriteAsync(TlsPreamble);
                await ReadExactlyAsync(toServer, new byte[8]);
                var serverSide = new SslStream(toServer, false);
                await serverSide.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "PSGroupChat",
                    ClientCertificates = new X509CertificateCollection { _certificate },
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => _certificate,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                });
                await Task.WhenAll(PumpAsync(clientSide, serverSide, _toServer), PumpAsync(serverSide, clientSide, _toClient));
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is AuthenticationException || e is ObjectDisposedException)
            {
                // a side hung up or refused: the relay's work ends here
            }
        }

        private async Task PumpAsync(Stream from, Stream to, MemoryStream copy)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    int n = await from.ReadAsync(buffer);
                    if (n == 0) break;
                    lock (copy) copy.Write(buffer, 0, n);
                    await to.WriteAsync(buffer.AsMemory(0, n));
                }
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
            {
            }
            finally
            {
                // Either side ending ends the relay, as a real relay caught out would drop both.
                _client?.Dispose();
                _server?.Dispose();
            }
        }

        private static async Task ReadExactlyAsync(Stream stream, byte[] buffer)
        {
            int read = 0;
            while (read < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(read));
                if (n == 0) throw new IOException("closed before the preamble");
                read += n;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _client?.Dispose();
            _server?.Dispose();
            await _relay;
            _certificate.Dispose();
        }
    }
}
