using System;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// The multicast DNS group as the advertiser and browser see it: datagrams out to every member of the group on the
    /// chosen interfaces, datagrams in from any of them. Knows bytes only, so tests can put an in-memory group in its place.
    /// </summary>
    internal interface IMulticastLink : IAsyncDisposable
    {
        /// <summary>The addresses of the interfaces the group was joined on: what an announcement offers others to dial.</summary>
        System.Collections.Generic.IReadOnlyList<System.Net.IPAddress> Interfaces { get; }

        /// <summary>Sends one datagram to the group; a failure on one interface is not a failure of the others.</summary>
        Task SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken);

        /// <summary>The next datagram from the group, with the address it came from.</summary>
        Task<MulticastDatagram> ReceiveAsync(CancellationToken cancellationToken);
    }

    /// <summary>One datagram received from the group.</summary>
    internal sealed record MulticastDatagram(byte[] Bytes, System.Net.IPEndPoint From);
}
