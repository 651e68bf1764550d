using System;
using PSGroupChat.Protocol;

namespace PSGroupChat.Transport
{
    /// <summary>
    /// Takes a message from a link's reader loop: decoded, and as it came off the wire (its payload, type byte first,
    /// valid only during the call), so that whoever keeps it can keep the bytes instead of encoding them again.
    /// </summary>
    internal delegate void MessageHandler(in MessageFrame message, ReadOnlySpan<byte> payload);
}
