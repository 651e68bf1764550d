using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Security;

namespace PSGroupChat.Transport
{
    /// <summary>
    /// Starts a connection before any frame (docs/protocol.md, "Connection start"): the 8-byte preambles, dialer first,
    /// then in TLS mode a TLS 1.3 (else 1.2) session. Certificates are not checked against any authority: the listener
    /// presents a self-signed certificate of its identity key, whose fingerprint the handshake above binds and trusts,
    /// and the dialer proves its own key in that handshake. Bounded by the caller, who closes the socket when its
    /// deadline passes.
    /// </summary>
    internal static class ConnectionStart
    {
        private const SslProtocols Tls12 = (SslProtocols)3072;

        public static async Task<LinkChannel> OpenAsync(Stream network, PeerDirection direction, LinkSecurity security, IPEndPoint remote, CancellationToken cancellationToken)
        {
            string peer = remote.ToString();
            var ours = Preamble.Of(security.Encrypted);
            var theirs = new byte[Preamble.Size];
            if (direction == PeerDirection.Outbound)
            {
                await network.WriteAsync(ours, 0, ours.Length, cancellationToken).ConfigureAwait(false);
                await ReadPreambleAsync(network, theirs, peer, cancellationToken).ConfigureAwait(false);
                CheckAsDialer(theirs, security, peer);
            }
            else
            {
                await ReadPreambleAsync(network, theirs, peer, cancellationToken).ConfigureAwait(false);
                var kind = Preamble.Classify(theirs, out bool encrypted);
                if (kind == PreambleKind.Version1)
                {
                    var refusal = Preamble.Version1Refusal();
                    await network.WriteAsync(refusal, 0, refusal.Length, cancellationToken).ConfigureAwait(false);
                    throw new ConnectionStartException("version", $"The peer at {peer} speaks protocol 1 (an older PSGroupChat); it was told to upgrade.");
                }
                if (kind == PreambleKind.Garbage) throw new ConnectionStartException("version", $"The peer at {peer} does not speak PSGroupChat: its first bytes are not a PSGroupChat preamble.");
                // Our own preamble answers even a mismatch, so that the dialer can say what is wrong.
                await network.WriteAsync(ours, 0, ours.Length, cancellationToken).ConfigureAwait(false);
                if (kind == PreambleKind.OtherVersion) throw new ConnectionStartException("version", $"The peer at {peer} speaks protocol {theirs[4]}; this one speaks {Preamble.Version}.");
                if (encrypted != security.Encrypted) throw ModeMismatch(security.Encrypted, peer);
            }
            if (!security.Encrypted) return new LinkChannel(network, false, null, "none");
            return await StartTlsAsync(network, direction, security.Tls!, remote, peer).ConfigureAwait(false);
        }

        private static void CheckAsDialer(byte[] theirs, LinkSecurity security, string peer)
        {
            switch (Preamble.Classify(theirs, out bool encrypted))
            {
                case PreambleKind.Version1:
                    throw new ConnectionStartException("version", $"The peer at {peer} speaks protocol 1 (an older PSGroupChat); upgrade it to join it.");
                case PreambleKind.OtherVersion:
                    throw new ConnectionStartException("version", $"The peer at {peer} speaks protocol {theirs[4]}; this one speaks {Preamble.Version}.");
                case PreambleKind.Garbage:
                    throw new ConnectionStartException("version", $"The peer at {peer} does not speak PSGroupChat: its first bytes are not a PSGroupChat preamble.");
            }
            if (encrypted != security.Encrypted) throw ModeMismatch(security.Encrypted, peer);
        }

        private static ConnectionStartException ModeMismatch(bool weEncrypt, string peer) => new ConnectionStartException("mode", weEncrypt
            ? $"This chat is encrypted; the peer at {peer} runs -Plaintext. Start both with the same mode (encrypted, the default, is the safe one)."
            : $"This session runs -Plaintext; the peer at {peer} is encrypted. Start this session without -Plaintext.");

        private static async Task ReadPreambleAsync(Stream network, byte[] buffer, string peer, CancellationToken cancellationToken)
        {
            int read = 0;
            while (read < buffer.Length)
            {
                int n = await network.ReadAsync(buffer, read, buffer.Length - read, cancellationToken).ConfigureAwait(false);
                if (n == 0) throw new IOException($"the peer at {peer} closed the connection before its preamble");
                read += n;
            }
        }

        private static async Task<LinkChannel> StartTlsAsync(Stream network, PeerDirection direction, TlsAuthentication tls, IPEndPoint remote, string peer)
        {
            string? rejected = null;
            byte[]? remoteKey = null;
            bool dialed = direction == PeerDirection.Outbound;
            bool Validate(object sender, X509Certificate? remote, X509Chain? chain, SslPolicyErrors errors)
            {
                // The listener asks for no client certificate: the dialer proves its key in the handshake's auth frame.
                if (!dialed) return true;
                // No authority vouches for a member's certificate: its key's fingerprint is checked by the handshake above.
                rejected = RemoteKey(remote, DateTimeOffset.UtcNow, out remoteKey);
                return rejected == null;
            }
            var ssl = tls.NewStream(network, Validate);
            try
            {
                await tls.AuthenticateAsync(ssl, direction, remote).ConfigureAwait(false);
                if (dialed && remoteKey == null) throw new ConnectionStartException("tls", $"The peer at {peer} presented no certificate.");
                // Forward secrecy: TLS 1.3 always has it; in 1.2 an ECDSA certificate allows only ephemeral (EC)DHE key
                // exchange, and a static RSA one is refused here in case a platform offered it anyway.
                if ((int)ssl.SslProtocol < (int)Tls12 || ssl.KeyExchangeAlgorithm == ExchangeAlgorithmType.RsaKeyX)
                    throw new ConnectionStartException("tls", $"The TLS session with {peer} has no forward secrecy ({ssl.SslProtocol}, {ssl.KeyExchangeAlgorithm}).");
                return new LinkChannel(ssl, true, remoteKey, $"{ssl.SslProtocol} {ssl.CipherAlgorithm}");
            }
            catch (Exception e) when (e is AuthenticationException || e is IOException || e is CryptographicException || e is ConnectionStartException || e is ObjectDisposedException)
            {
                ssl.Dispose();
                if (e is ConnectionStartException) throw;
                throw new ConnectionStartException("tls", rejected != null
                    ? $"The peer at {peer} presented an unusable certificate: {rejected}."
                    : $"The TLS handshake with {peer} failed: {e.Message}", e);
            }
        }

        /// <summary>Why a remote certificate cannot stand for a member's key, or null with its fingerprint.</summary>
        internal static string? RemoteKey(X509Certificate? remote, DateTimeOffset now, out byte[]? fingerprint)
        {
            fingerprint = null;
            if (remote == null) return "no certificate";
            try
            {
                using var certificate = new X509Certificate2(remote);
                if (now < new DateTimeOffset(certificate.NotBefore.ToUniversalTime()) - TimeSpan.FromDays(1)) return "it is not valid yet";
                if (now > new DateTimeOffset(certificate.NotAfter.ToUniversalTime())) return "it has expired";
                // The key's signature in the TLS handshake is checked by TLS itself, with this same encoded key.
                fingerprint = KeyFingerprint.OfEncoded(certificate.PublicKey);
                if (fingerprint != null) return null;
                using var key = certificate.GetECDsaPublicKey();
                if (key == null) return "its key is not an ECDSA key";
                fingerprint = KeyFingerprint.Of(key);
                return null;
            }
            catch (CryptographicException e)
            {
                return "it cannot be read (" + e.Message + ")";
            }
        }
    }
}
