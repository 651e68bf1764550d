using System.Net;
using System.Net.Sockets;
using PSGroupChat.Transport;

namespace PSGroupChat.Lifecycle
{
    /// <summary>Opens a session's listener, saying in the chat's terms why it cannot.</summary>
    internal static class Listening
    {
        /// <exception cref="ChatException">PortInUse, AddressNotAvailable; the target is the endpoint asked for.</exception>
        public static ChatListener Start(IPAddress address, int port)
        {
            try
            {
                return ChatListener.Start(address, port);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse || e.SocketErrorCode == SocketError.AccessDenied)
            {
                string where = address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Any) ? "on every address of this computer" : $"on {address}";
                throw new ChatException(ChatErrorCode.PortInUse, $"Port {port} is already in use {where}.", Describe(address, port), e);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                throw new ChatException(ChatErrorCode.AddressNotAvailable,
                    $"Cannot listen on {address}: it is not an address of this computer.", Describe(address, port), e);
            }
        }

        /// <summary>An address and port as an endpoint reads, e.g. <c>[::]:5000</c> or <c>127.0.0.1:5000</c>.</summary>
        public static string Describe(IPAddress address, int port) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
