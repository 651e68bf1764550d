using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PSGroupChat.Room
{
    /// <summary>
    /// The <c>host:port</c> forms someone else can type to join: the port alone, or the wildcard address the session
    /// listens on, tells another user nothing. For a session listening on every address: the machine's non-loopback
    /// IPv4 addresses, then its host name; with neither reachable from elsewhere, the loopback address for this machine.
    /// For a session bound to one address: that address.
    /// </summary>
    internal static class RoomAddresses
    {
        /// <summary>The dialable endpoints of a session whose <see cref="ChatSession.ListenEndpoint"/> is <paramref name="listenEndpoint"/>.</summary>
        public static IReadOnlyList<string> Of(string listenEndpoint, int port)
        {
            var listening = ListenAddress(listenEndpoint);
            if (listening != null && !listening.Equals(IPAddress.Any) && !listening.Equals(IPAddress.IPv6Any))
            {
                return new[] { Endpoint(listening.IsIPv4MappedToIPv6 ? listening.MapToIPv4() : listening, port) };
            }
            var endpoints = Interfaces().Select(a => Endpoint(a, port)).ToList();
            bool reachable = endpoints.Count > 0;
            string host = HostName();
            if (host.Length > 0) endpoints.Add($"{host}:{port}");
            if (!reachable) endpoints.Add(Endpoint(IPAddress.Loopback, port));
            return endpoints;
        }

        private static IPAddress? ListenAddress(string endpoint)
        {
            int colon = endpoint.LastIndexOf(':');
            var address = colon > 0 ? endpoint.Substring(0, colon).Trim('[', ']') : endpoint;
            return IPAddress.TryParse(address, out var parsed) ? parsed : null;
        }

        private static string Endpoint(IPAddress address, int port) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

        /// <summary>The IPv4 addresses of the interfaces that are up, loopback excepted; none when the host will not say.</summary>
        private static IEnumerable<IPAddress> Interfaces()
        {
            try
            {
                return NetworkInterface.GetAllNetworkInterfaces()
                    .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                    .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                    .Select(u => u.Address)
                    .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
                    .Distinct()
                    .ToList();
            }
            catch (NetworkInformationException)
            {
                return Array.Empty<IPAddress>();
            }
            catch (PlatformNotSupportedException)
            {
                return Array.Empty<IPAddress>();
            }
        }

        private static string HostName()
        {
            try
            {
                return Dns.GetHostName();
            }
            catch (SocketException)
            {
                return string.Empty;
            }
        }
    }
}
