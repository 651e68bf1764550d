using System.Security.Cryptography.X509Certificates;

namespace PSGroupChat.Transport
{
    /// <summary>
    /// How this session's connections start: in TLS with the certificate of its identity key, or in plaintext. Fixed for
    /// the session's life; a connection whose other side runs the other mode is refused.
    /// </summary>
    internal sealed class LinkSecurity
    {
        private LinkSecurity(TlsAuthentication? tls) => Tls = tls;

        /// <summary>How the session's TLS handshakes run, with the certificate they present; null in plaintext mode.</summary>
        public TlsAuthentication? Tls { get; }

        public bool Encrypted => Tls != null;

        /// <summary>TLS, presenting <paramref name="certificate"/>; what every handshake needs of it is prepared here, once.</summary>
        public static LinkSecurity Encrypt(X509Certificate2 certificate) => new LinkSecurity(TlsAuthentication.For(certificate));

        public static readonly LinkSecurity Plaintext = new LinkSecurity(null);
    }

    /// <summary>A started connection: the stream frames flow over, and what TLS learned of the other side.</summary>
    /// <param name="Stream">The stream frames flow over: the TLS stream, or the socket's own in plaintext.</param>
    /// <param name="Encrypted">Whether it runs in TLS.</param>
    /// <param name="RemoteKey">The SHA-256 fingerprint of the remote certificate's key; null in plaintext mode.</param>
    /// <param name="Cipher">The TLS version and cipher, for the log; "none" in plaintext.</param>
    internal sealed record LinkChannel(System.IO.Stream Stream, bool Encrypted, byte[]? RemoteKey, string Cipher);
}
