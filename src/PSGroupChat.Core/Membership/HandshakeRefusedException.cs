using System;
using PSGroupChat.Protocol;

namespace PSGroupChat.Membership
{
    /// <summary>The remote side answered the handshake with a refuse frame.</summary>
    internal sealed class HandshakeRefusedException : Exception
    {
        // The code and reason are whatever the remote side wrote; they end up in the log and in the caller's error.
        public HandshakeRefusedException(string code, string reason) : base(RemoteText.Printable(reason, 200)) => Code = RemoteText.Printable(code, 40);

        public string Code { get; }
    }
}
