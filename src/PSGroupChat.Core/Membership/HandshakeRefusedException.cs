using System;

namespace PSGroupChat.Membership
{
    /// <summary>The remote side answered the handshake with a refuse frame.</summary>
    internal sealed class HandshakeRefusedException : Exception
    {
        public HandshakeRefusedException(string code, string reason) : base(reason) => Code = code;

        public string Code { get; }
    }
}
