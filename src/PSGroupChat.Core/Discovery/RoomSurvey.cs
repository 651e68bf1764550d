using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Discovery
{
    /// <summary>Listens to the LAN for a while and tells which rooms are announced: the engine of Find-ChatRoom.</summary>
    public static class RoomSurvey
    {
        /// <summary>
        /// Browses the multicast DNS group on the interfaces of <paramref name="listenAddress"/> for
        /// <paramref name="timeout"/> and returns the rooms heard, by name. Throws <see cref="System.Net.Sockets.SocketException"/>
        /// when no interface carries multicast or the mDNS port cannot be shared.
        /// </summary>
        public static Task<IReadOnlyList<LanChatRoom>> BrowseAsync(IPAddress listenAddress, TimeSpan timeout, CancellationToken cancellationToken) =>
            BrowseAsync(UdpMulticastLink.Open(listenAddress), TimeProvider.System, timeout, cancellationToken);

        internal static async Task<IReadOnlyList<LanChatRoom>> BrowseAsync(IMulticastLink link, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var discovery = RoomDiscovery.Start(link, time, null);
            try
            {
                await time.Delay(timeout, cancellationToken).ConfigureAwait(false);
                return Rooms(discovery.Browser.Current);
            }
            finally
            {
                await discovery.DisposeAsync().ConfigureAwait(false);
            }
        }

        /// <summary>The announcements grouped by room, sorted by room name.</summary>
        internal static IReadOnlyList<LanChatRoom> Rooms(IEnumerable<RoomAnnouncement> heard) =>
            heard.GroupBy(a => (a.RoomKey, a.SecretRequired))
                .Select(g => new LanChatRoom(
                    g.Key.SecretRequired ? LanChatRoom.SecretRoom : g.Key.RoomKey,
                    g.Key.RoomKey,
                    g.Key.SecretRequired,
                    g.Where(a => a.UserName != null).Select(a => a.UserName!).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList(),
                    g.Select(a => a.PeerId).Distinct().Count(),
                    g.SelectMany(a => a.Addresses.Select(ip => Endpoint(ip, a.Port))).Distinct().ToList()))
                .OrderBy(r => r.SecretRequired).ThenBy(r => r.Room, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.RoomKey, StringComparer.Ordinal)
                .ToList();

        private static string Endpoint(IPAddress address, int port) =>
            address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
