using System.Security.Cryptography.X509Certificates;

namespace PSGroupChat.Transport
{
    /// <summary>
    /// How this session's connections start: in TLS with the certificate of its identity key, or in plaintext. Fixed for
    /// the session's life; a connection whose other side runs the other mode is refused.
    /// </summary>
    internal sealed class LinkSecurity
    {
        private LinkSecurity(X509Certificate2? certificate) => Certificate = certificate;

        /// <summary>The certificate presented in TLS; null in plaintext mode.</summary>
        public X509Certificate2? Certificate { get; }

        public bool Encrypted => Certificate != null;

        public static LinkSecurity Tls(X509Certificate2 certificate) => new LinkSecurity(certificate);

        public static readonly LinkSecurity Plaintext = new LinkSecurity(null);
    }

    /// <summary>A started connection: the stream frames flow over, and what TLS learned of the other side.</summary>
    /// <param name="Stream">The stream frames flow over: the TLS stream, or the socket's own in plaintext.</param>
    /// <param name="Encrypted">Whether it runs in TLS.</param>
    /// <param name="RemoteKey">The SHA-256 fingerprint of the remote certificate's key; null in plaintext mode.</param>
    /// <param name="Cipher">The TLS version and cipher, for the log; "none" in plaintext.</param>
    internal sealed record LinkChannel(System.IO.Stream Stream, bool Encrypted, byte[]? RemoteKey, string Cipher);
}
