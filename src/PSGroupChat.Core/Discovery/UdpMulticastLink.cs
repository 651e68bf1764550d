using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// The IPv4 multicast DNS group (224.0.0.251:5353) on every interface that is up, multicast-capable and not loopback,
    /// or only on the one holding a given listen address. The port is shared (SO_REUSEADDR) with the host's own responder
    /// (avahi, mDNSResponder) and with other sessions, as RFC 6762 §15 expects of several responders on one host.
    /// </summary>
    internal sealed class UdpMulticastLink : IMulticastLink
    {
        /// <summary>The mDNS port.</summary>
        public const int Port = 5353;

        /// <summary>The IPv4 mDNS group.</summary>
        public static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");

        private readonly Socket _socket;
        private readonly byte[] _buffer = new byte[DnsLimits.MaxMessage + 1]; // one byte more, to tell an oversized datagram

        private UdpMulticastLink(Socket socket, IReadOnlyList<IPAddress> interfaces)
        {
            _socket = socket;
            Interfaces = interfaces;
        }

        /// <inheritdoc />
        public IReadOnlyList<IPAddress> Interfaces { get; }

        /// <summary>
        /// Joins the group on the chosen interfaces. Throws <see cref="SocketException"/> when no interface can carry
        /// multicast or the port cannot be shared; the caller warns and the chat goes on without discovery.
        /// </summary>
        public static UdpMulticastLink Open(IPAddress listenAddress)
        {
            var interfaces = MulticastInterfaces(listenAddress);
            if (interfaces.Count == 0) throw new SocketException((int)SocketError.NetworkUnreachable);
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(IPAddress.Any, Port));
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255); // RFC 6762 §11
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true); // other sessions on this host
                var joined = new List<IPAddress>();
                foreach (var address in interfaces)
                {
                    try
                    {
                        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, address));
                        joined.Add(address);
                    }
                    catch (SocketException)
                    {
                        // An interface that refuses the group (no multicast route, going down) leaves the others working.
                    }
                }
                if (joined.Count == 0) throw new SocketException((int)SocketError.NetworkUnreachable);
                return new UdpMulticastLink(socket, joined);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        /// <summary>Why <see cref="Open"/> failed with <paramref name="error"/>, in words a user can act on.</summary>
        internal static string WhyNot(Exception error, IPAddress listenAddress)
        {
            bool limited = !listenAddress.Equals(IPAddress.Any) && !listenAddress.Equals(IPAddress.IPv6Any);
            if (error is SocketException s && s.SocketErrorCode == SocketError.NetworkUnreachable)
                return limited ? $"no interface holding {listenAddress} is up and carries IPv4 multicast" : "no network interface that is up carries IPv4 multicast";
            return $"the multicast DNS port {Port} could not be used ({error.Message})";
        }

        /// <summary>The IPv4 address of every interface that can carry the group, limited to <paramref name="listenAddress"/> unless it is a wildcard.</summary>
        private static List<IPAddress> MulticastInterfaces(IPAddress listenAddress)
        {
            bool any = listenAddress.Equals(IPAddress.Any) || listenAddress.Equals(IPAddress.IPv6Any);
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.SupportsMulticast && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
                .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
                .Where(a => any || a.Equals(listenAddress) || (listenAddress.IsIPv4MappedToIPv6 && a.Equals(listenAddress.MapToIPv4())))
                .Distinct().ToList();
        }

        /// <inheritdoc />
        public Task SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
        {
            var bytes = datagram.ToArray();
            foreach (var address in Interfaces)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address.GetAddressBytes());
                    // A datagram send does not wait for the network: the kernel takes it or refuses it at once.
                    _socket.SendTo(bytes, new IPEndPoint(Group, Port));
                }
                catch (SocketException)
                {
                    // One interface failing (unplugged, no route) must not keep the group from hearing us on the others.
                }
            }
            return Task.CompletedTask;
        }

        /// <inheritdoc />
        public async Task<MulticastDatagram> ReceiveAsync(CancellationToken cancellationToken)
        {
            // netstandard2.0's ReceiveFromAsync takes no token: closing the socket (DisposeAsync) is what ends a wait.
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.ReceiveFromAsync(new ArraySegment<byte>(_buffer), SocketFlags.None, from).ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    throw new OperationCanceledException("the multicast link was closed");
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted || e.SocketErrorCode == SocketError.Interrupted)
                {
                    throw new OperationCanceledException("the multicast link was closed");
                }
                catch (SocketException)
                {
                    continue; // ICMP errors surface here on some systems; the group is still there
                }
                // An oversized datagram cannot be a whole mDNS message (RFC 6762 §17); dropped before it is decoded.
                if (received.ReceivedBytes > DnsLimits.MaxMessage) continue;
                return new MulticastDatagram(_buffer.AsSpan(0, received.ReceivedBytes).ToArray(), (IPEndPoint)received.RemoteEndPoint);
            }
        }

        /// <inheritdoc />
        public ValueTask DisposeAsync()
        {
            _socket.Dispose();
            return default;
        }
    }
}
