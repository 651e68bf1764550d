using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace PSGroupChat.Tests.Security
{
    /// <summary>
    /// An active attacker in the middle: it accepts one connection, dials the real member, speaks the preamble to both
    /// and terminates TLS on each side with a key of its own, then passes the decrypted bytes on and keeps a copy of
    /// them. Passing them on unchanged, it is caught even in an open chat: the dialer's key proof names the relay's key.
    /// Re-signing, it also replaces the dialer's key and signature with its own, made for the member it dialed: against
    /// an open chat it is then invisible but for the keys shown, and a secret bound to the keys, or -TrustedPeer, must catch it.
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
        private readonly bool _resign;
        private byte[] _serverKey = Array.Empty<byte>();
        private byte[]? _clientHello, _serverHello;

        public TlsRelay(int targetPort, bool resign = false)
        {
            _targetPort = targetPort;
            _resign = resign;
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
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        _serverKey = SHA256.HashData(new X509Certificate2(certificate!).PublicKey.ExportSubjectPublicKeyInfo());
                        return true;
                    },
                });
                await Task.WhenAll(PumpAsync(clientSide, serverSide, _toServer, fromDialer: true), PumpAsync(serverSide, clientSide, _toClient, fromDialer: false));
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is AuthenticationException || e is ObjectDisposedException)
            {
                // a side hung up or refused: the relay's work ends here
            }
        }

        private async Task PumpAsync(Stream from, Stream to, MemoryStream copy, bool fromDialer)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    if (_resign)
                    {
                        // Frame by frame: a length prefix, then the payload (docs/protocol.md, "Framing").
                        var prefix = new byte[4];
                        if (!await TryReadExactlyAsync(from, prefix)) break;
                        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
                        if (!await TryReadExactlyAsync(from, payload)) break;
                        if (payload[0] == 0x01) (fromDialer ? ref _clientHello : ref _serverHello) = payload;
                        if (fromDialer && payload[0] == 0x02) payload = Resign(payload);
                        var frame = new byte[4 + payload.Length];
                        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
                        payload.CopyTo(frame, 4);
                        lock (copy) copy.Write(frame);
                        await to.WriteAsync(frame);
                        continue;
                    }
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

        /// <summary>
        /// The dialer's auth with its proof of the secret kept, and its key and signature replaced by the relay's own, signed
        /// over the input the member dialed expects from a dialer with the relay's key (docs/protocol.md, "Authentication").
        /// </summary>
        private byte[] Resign(byte[] auth)
        {
            var proof = auth.AsSpan(2, auth[1]).ToArray();
            using var key = _certificate.GetECDsaPrivateKey()!;
            var point = Hardening.RawChatClient.PointOf(key);
            var signature = Hardening.RawChatClient.SignKeyProof(key, point,
                Convert.ToHexString(_clientHello!, 1, 16).ToLowerInvariant(), Convert.ToHexString(_serverHello!, 1, 16).ToLowerInvariant(),
                _clientHello!.AsSpan(17, 16).ToArray(), _serverHello!.AsSpan(17, 16).ToArray(), _serverKey);
            return new byte[] { 0x02, (byte)proof.Length }.Concat(proof).Append((byte)65).Concat(point).Append((byte)64).Concat(signature).ToArray();
        }

        private static async Task<bool> TryReadExactlyAsync(Stream stream, byte[] buffer)
        {
            int read = 0;
            while (read < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(read));
                if (n == 0) return false;
                read += n;
            }
            return true;
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
