using System;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// A remote peer broke the wire protocol. The connection that carried it is closed with this message as the logged
    /// reason; it never reaches a caller of the session.
    /// </summary>
    internal sealed class WireProtocolException : Exception
    {
        public WireProtocolException(string message) : base(message) { }

        public WireProtocolException(string message, Exception inner) : base(message, inner) { }
    }
}
