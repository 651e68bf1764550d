using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Tests.Protocol;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// A hand-written client that speaks the wire format over a plain socket (docs/protocol.md), written without the
    /// engine's codec so that it can do anything a hostile peer could: stall, trickle bytes, send garbage, never read.
    /// Frames are spelled as JSON and carried in protocol 2's binary encoding by <see cref="TestWire"/>. It starts the
    /// connection as a dialer does (preamble, then TLS with a key of its own) unless told to stay raw or plaintext.
    /// </summary>
    public sealed class RawChatClient : IDisposable
    {
        public static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(30);
        private static readonly byte[] AuthLabel = Encoding.ASCII.GetBytes("PSGroupChat-auth-v2");
        private static readonly byte[] KeyLabel = Encoding.ASCII.GetBytes("PSGroupChat-key-v2");
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        private readonly Socket _socket;
        private Stream _stream;
        private bool _closedAtStart;

        private RawChatClient(Socket socket, string peerId, string userName)
        {
            _socket = socket;
            _stream = new NetworkStream(socket, ownsSocket: false);
            PeerId = peerId;
            UserName = userName;
        }

        /// <summary>The fingerprint (32 bytes) of this client's own identity key, proven in its auth frame; null in plaintext or raw.</summary>
        public byte[]? ClientKey { get; private set; }

        /// <summary>The fingerprint (32 bytes) of the key the session presented in TLS; null in plaintext or raw.</summary>
        public byte[]? ServerKey { get; private set; }

        public string PeerId { get; }
        public string UserName { get; }
        public byte[] Nonce { get; } = RandomNumberGenerator.GetBytes(16);
        public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

        /// <summary>The session's hello, once read.</summary>
        public JsonElement? ServerHello { get; private set; }

        /// <summary>Every frame read from the session so far, in order.</summary>
        public List<JsonElement> Received { get; } = new List<JsonElement>();

        /// <summary>
        /// Connects to a session on loopback. A peer id above every hex id makes this client the side that says accept;
        /// one below makes it the arbiter that answers welcome.
        /// </summary>
        /// <param name="start">"tls" (the default) sends the preamble and runs TLS with a key of this client's own;
        /// "plaintext" sends the plaintext preamble, for a session run with Plaintext; "raw" sends nothing.</param>
        public static async Task<RawChatClient> ConnectAsync(int port, string userName, bool arbiter = false, int? receiveBuffer = null, string? peerId = null, string start = "tls")
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (receiveBuffer != null) socket.ReceiveBufferSize = receiveBuffer.Value;
            await socket.ConnectAsync(IPAddress.Loopback, port);
            // Eight hex digits of 0 or f put it below or above a random id but for a chance of 2^-32.
            peerId ??= (arbiter ? "00000000" : "ffffffff") + Guid.NewGuid().ToString("N").Substring(8);
            var client = new RawChatClient(socket, peerId, userName);
            if (start != "raw") await client.StartAsync(start == "tls");
            return client;
        }

        /// <summary>Reads the session's 8-byte preamble, for a client connected raw that sent its own.</summary>
        public async Task SkipPreambleAsync()
        {
            using var limit = new CancellationTokenSource(ReadLimit);
            if (!await ReadExactlyAsync(new byte[8], limit.Token)) _closedAtStart = true;
        }

        /// <summary>The connection start of a dialer; a session that closes the connection meanwhile leaves the client closed.</summary>
        private async Task StartAsync(bool tls)
        {
            try
            {
                await _stream.WriteAsync(new byte[] { 0x50, 0x53, 0x47, 0x43, 0x02, tls ? (byte)1 : (byte)0, 0, 0 });
                var answer = new byte[8];
                using var limit = new CancellationTokenSource(ReadLimit);
                if (!await ReadExactlyAsync(answer, limit.Token)) { _closedAtStart = true; return; }
                if (!tls) return;
                var ssl = new System.Net.Security.SslStream(_stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
                {
                    TargetHost = "PSGroupChat",
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                });
                ClientKey = SHA256.HashData(_key.ExportSubjectPublicKeyInfo());
                using var remote = new System.Security.Cryptography.X509Certificates.X509Certificate2(ssl.RemoteCertificate!);
                ServerKey = SHA256.HashData(remote.PublicKey.ExportSubjectPublicKeyInfo());
                _stream = ssl;
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is System.Security.Authentication.AuthenticationException)
            {
                _closedAtStart = true; // refused at once (the pending-handshake limit) or cut during TLS
            }
        }

        // Bound and never listening, for the life of the test run: a dial to it is refused at once, and no other socket
        // can take its port meanwhile, so a member re-dialing a hostile client can never reach some other test's session.
        private static readonly Lazy<Socket> Unreachable = new Lazy<Socket>(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return socket;
        });

        /// <summary>A port on which every connection is refused, to announce as this client's own.</summary>
        public static int DeadPort() => ((IPEndPoint)Unreachable.Value.LocalEndPoint!).Port;

        /// <summary>True when the session has closed the connection or sent something not yet read.</summary>
        public bool IsReadable => _socket.Poll(0, SelectMode.SelectRead);

        public string HelloJson() => "{" + $"\"type\":\"hello\",\"id\":{Json.Str(PeerId)},\"nonce\":\"{Convert.ToBase64String(Nonce)}\"" + "}";

        public string IntroJson(int? port = null, long since = 0) =>
            "{" + $"\"type\":\"intro\",\"user\":{Json.Str(UserName)},\"port\":{port ?? DeadPort()},\"since\":{since}" + "}";

        /// <summary>A whole frame of protocol 2 for a JSON spelling (<see cref="TestWire"/>).</summary>
        public static byte[] Frame(string json) => TestWire.Frame(json);

        /// <summary>
        /// HMAC-SHA256 over the label, the prover's role, both ids (length-prefixed), both nonces and both key fingerprints
        /// (zeros in plaintext), prover first: the proof docs/protocol.md describes ("Authentication").
        /// </summary>
        public static byte[] Proof(byte[] secret, bool proverDialed, string proverId, string verifierId, byte[] proverNonce, byte[] verifierNonce, byte[]? proverKey, byte[]? verifierKey) =>
            HMACSHA256.HashData(secret, ProofInput(proverDialed, proverId, verifierId, proverNonce, verifierNonce, proverKey, verifierKey));

        private static byte[] ProofInput(bool proverDialed, string proverId, string verifierId, byte[] proverNonce, byte[] verifierNonce, byte[]? proverKey, byte[]? verifierKey)
        {
            var prover = Encoding.UTF8.GetBytes(proverId);
            var verifier = Encoding.UTF8.GetBytes(verifierId);
            return AuthLabel.Append((byte)(proverDialed ? 'D' : 'L'))
                .Append((byte)prover.Length).Concat(prover).Append((byte)verifier.Length).Concat(verifier)
                .Concat(proverNonce).Concat(verifierNonce).Concat(proverKey ?? new byte[32]).Concat(verifierKey ?? new byte[32]).ToArray();
        }

        /// <summary>How this client proves its key in its auth frame: honestly, or as the hostile cases of the key-proof tests.</summary>
        public enum KeyClaim
        {
            /// <summary>Its own key, signed over this connection's input.</summary>
            Own,

            /// <summary>No key at all, on an encrypted link.</summary>
            None,

            /// <summary>Another key's public point, with a signature by this client's key.</summary>
            Borrowed,

            /// <summary>Its own key, signed over an input naming another listener's key (what a relay could pass on).</summary>
            ForAnotherListener,

            /// <summary>A point that is not on the curve.</summary>
            OffTheCurve,
        }

        /// <summary>
        /// The dialer's auth frame for the session whose hello is <paramref name="serverId"/> and <paramref name="serverNonce"/>:
        /// its proof of <paramref name="secret"/> (empty without one) and, in TLS, its key and signature (docs/protocol.md, "Authentication").
        /// </summary>
        public string AuthJson(byte[]? secret, string serverId, byte[] serverNonce, KeyClaim claim = KeyClaim.Own)
        {
            var proof = secret == null ? Array.Empty<byte>() : ProofFor(secret, serverId, serverNonce);
            var json = $"{{\"type\":\"auth\",\"proof\":\"{Convert.ToBase64String(proof)}\"";
            if (ClientKey == null || claim == KeyClaim.None) return json + "}";
            var point = PointOf(_key);
            var listener = ServerKey!;
            if (claim == KeyClaim.Borrowed)
            {
                using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                point = PointOf(other);
            }
            if (claim == KeyClaim.ForAnotherListener) listener = RandomNumberGenerator.GetBytes(32);
            if (claim == KeyClaim.OffTheCurve) point[64] ^= 1;
            var signature = SignKeyProof(_key, point, PeerId, serverId, Nonce, serverNonce, listener);
            return json + $",\"key\":\"{Convert.ToBase64String(point)}\",\"signature\":\"{Convert.ToBase64String(signature)}\"}}";
        }

        /// <summary>A key's public point as the auth frame carries it: 0x04, X, Y.</summary>
        public static byte[] PointOf(ECDsa key)
        {
            var q = key.ExportParameters(false).Q;
            return new byte[] { 4 }.Concat(q.X!).Concat(q.Y!).ToArray();
        }

        /// <summary>
        /// A dialer's key proof as docs/protocol.md spells it: <paramref name="key"/>'s signature over "PSGroupChat-key-v2"
        /// and the proof input, whose prover key is the fingerprint of <paramref name="point"/>.
        /// </summary>
        public static byte[] SignKeyProof(ECDsa key, byte[] point, string dialerId, string listenerId, byte[] dialerNonce, byte[] listenerNonce, byte[] listenerKey)
        {
            var pointKey = SHA256.HashData(KeyFingerprintPrefix.Concat(point.Skip(1)).ToArray());
            var signed = KeyLabel.Concat(ProofInput(true, dialerId, listenerId, dialerNonce, listenerNonce, pointKey, listenerKey)).ToArray();
            return key.SignData(signed, HashAlgorithmName.SHA256);
        }

        /// <summary>A P-256 SubjectPublicKeyInfo up to its point's X (docs/protocol.md, "TLS").</summary>
        private static readonly byte[] KeyFingerprintPrefix = Convert.FromHexString("3059301306072A8648CE3D020106082A8648CE3D03010703420004");

        /// <summary>This client's proof as the dialer, for the session whose hello is <paramref name="serverId"/> and <paramref name="serverNonce"/>.</summary>
        public byte[] ProofFor(byte[] secret, string serverId, byte[] serverNonce) =>
            Proof(secret, true, PeerId, serverId, Nonce, serverNonce, ClientKey, ServerKey);

        public async Task SendAsync(byte[] bytes)
        {
            try
            {
                await _stream.WriteAsync(bytes, 0, bytes.Length);
            }
            catch (Exception e) when (_closedAtStart && (e is IOException || e is ObjectDisposedException || e is NotSupportedException))
            {
                // refused at the start: nothing to send to
            }
        }

        public Task SendFrameAsync(string json) => SendAsync(Frame(json));

        /// <summary>Ends this side's sending, as a peer that has said all it will.</summary>
        public void ShutdownSend()
        {
            if (_stream is System.Net.Security.SslStream ssl) ssl.ShutdownAsync().GetAwaiter().GetResult(); // TLS close_notify first
            _socket.Shutdown(SocketShutdown.Send);
        }

        /// <summary>Reads one frame; null when the session closed the connection (an end of stream or a reset).</summary>
        public async Task<JsonElement?> ReadFrameAsync(TimeSpan? limit = null)
        {
            if (_closedAtStart) return null;
            using var timeout = new CancellationTokenSource(limit ?? ReadLimit);
            try
            {
                var prefix = new byte[4];
                if (!await ReadExactlyAsync(prefix, timeout.Token)) return null;
                int length = (prefix[0] << 24) | (prefix[1] << 16) | (prefix[2] << 8) | prefix[3];
                if (length <= 0 || length > 4 * 1024 * 1024) throw new InvalidDataException($"the session sent a frame length of {length}");
                var payload = new byte[length];
                if (!await ReadExactlyAsync(payload, timeout.Token)) throw new InvalidDataException("the session ended inside a frame");
                var frame = TestWire.Read(payload);
                Received.Add(frame);
                return frame;
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no frame and no close from the session within {(limit ?? ReadLimit).TotalSeconds} s");
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is System.Security.Authentication.AuthenticationException)
            {
                return null; // a reset: closed
            }
        }

        /// <summary>Reads frames until the session closes the connection; fails if it does not close within the limit.</summary>
        public async Task<List<JsonElement>> ReadUntilClosedAsync(TimeSpan? limit = null)
        {
            var frames = new List<JsonElement>();
            while (await ReadFrameAsync(limit) is JsonElement frame) frames.Add(frame);
            return frames;
        }

        private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
        {
            int read = 0;
            while (read < buffer.Length)
            {
                int n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    if (read == 0) return false;
                    throw new InvalidDataException("the session ended inside a frame");
                }
                read += n;
            }
            return true;
        }

        /// <summary>
        /// Runs the handshake as a member would (hello, auth, intro, then accept or welcome by peer id) and returns "joined",
        /// or the code of the session's refuse frame, or "closed". With a secret, the session's proof is checked too.
        /// </summary>
        public async Task<string> JoinAsync(byte[]? secret = null, int? advertisedPort = null)
        {
            await SendFrameAsync(HelloJson());
            var hello = await ReadFrameAsync();
            if (hello == null) return "closed";
            if (Type(hello.Value) == "refuse") return hello.Value.GetProperty("code").GetString()!;
            ServerHello = hello;
            string serverId = hello.Value.GetProperty("id").GetString()!;
            byte[] serverNonce = hello.Value.GetProperty("nonce").GetBytesFromBase64();
            await SendFrameAsync(AuthJson(secret, serverId, serverNonce));

            var auth = await ReadFrameAsync();
            if (auth == null) return "closed";
            if (Type(auth.Value) == "refuse") return auth.Value.GetProperty("code").GetString()!;
            if (secret != null && !auth.Value.GetProperty("proof").GetBytesFromBase64().AsSpan().SequenceEqual(Proof(secret, false, serverId, PeerId, serverNonce, Nonce, ServerKey, ClientKey)))
                throw new InvalidDataException("the session's proof does not match the secret");

            await SendFrameAsync(IntroJson(advertisedPort));
            var intro = await ReadFrameAsync();
            if (intro == null) return "closed";
            if (Type(intro.Value) == "refuse") return intro.Value.GetProperty("code").GetString()!;
            if (Type(intro.Value) != "intro") throw new InvalidDataException($"expected intro, got {Type(intro.Value)}");

            bool arbiter = string.CompareOrdinal(PeerId, serverId) < 0;
            if (!arbiter) await SendFrameAsync("{\"type\":\"accept\"}");
            var answer = await ReadFrameAsync();
            if (answer == null) return "closed";
            string type = Type(answer.Value);
            if (type == "refuse") return answer.Value.GetProperty("code").GetString()!;
            if (type != (arbiter ? "accept" : "welcome")) throw new InvalidDataException($"expected {(arbiter ? "accept" : "welcome")}, got {type}");
            if (arbiter) await SendFrameAsync("{\"type\":\"welcome\"}");
            return "joined";
        }

        /// <summary>Keeps reading in the background, as an honest member would, until the session closes the link.</summary>
        public Task<List<JsonElement>> DrainAsync() => Task.Run(() => ReadUntilClosedAsync(TimeSpan.FromMinutes(5)));

        public static string Type(JsonElement frame) => frame.GetProperty("type").GetString()!;

        public void Dispose()
        {
            _stream.Dispose();
            _socket.Dispose();
            _key.Dispose();
        }
    }
}
