using System;

namespace PSGroupChat.Transport
{
    /// <summary>
    /// A connection could not start: a peer of another protocol version, a mode (TLS, plaintext) that does not match, or a
    /// TLS handshake that failed. The message is the user's, saying what to do; <see cref="Code"/> is the refuse code.
    /// </summary>
    internal sealed class ConnectionStartException : Exception
    {
        public ConnectionStartException(string code, string message, Exception? inner = null) : base(message, inner) => Code = code;

        /// <summary>version, mode or tls.</summary>
        public string Code { get; }
    }
}
