using System;

namespace PSGroupChat.Discovery
{
    /// <summary>A datagram is not a well-formed DNS message within the limits; the whole datagram is ignored.</summary>
    internal sealed class DnsFormatException : Exception
    {
        /// <summary>Creates the exception; the message names the offset and what was wrong there.</summary>
        public DnsFormatException(string message) : base(message)
        {
        }
    }
}
