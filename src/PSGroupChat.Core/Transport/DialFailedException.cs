using System;

namespace PSGroupChat.Transport
{
    /// <summary>No address of the dialed endpoint could be connected to; the message says why.</summary>
    internal sealed class DialFailedException : Exception
    {
        public DialFailedException(string message, Exception? inner) : base(message, inner)
        {
        }
    }
}
