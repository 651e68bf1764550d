using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace PSGroupChat.Transport
{
    /// <summary>The session's listening socket: accepts connections and hands each one on.</summary>
    internal sealed class ChatListener : IDisposable
    {
        private readonly TcpListener _listener;

        private ChatListener(TcpListener listener) => _listener = listener;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public IPAddress Address => ((IPEndPoint)_listener.LocalEndpoint).Address;

        /// <summary>
        /// Binds and listens. Listening on IPv6Any also accepts IPv4 (dual mode) where the system allows it. A failure to
        /// bind is the socket's own <see cref="SocketException"/>: what it means to the user is the caller's to say.
        /// </summary>
        public static ChatListener Start(IPAddress address, int port)
        {
            try
            {
                return new ChatListener(Bind(address, port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressFamilyNotSupported && address.Equals(IPAddress.IPv6Any))
            {
                return Start(IPAddress.Any, port);
            }
        }

        internal const int Backlog = 1024;

        private static TcpListener Bind(IPAddress address, int port)
        {
            var listener = new TcpListener(address, port);
            if (address.AddressFamily == AddressFamily.InterNetworkV6) listener.Server.DualMode = true;
            // Windows lets a second socket share a port unless told not to; Unix refuses a second listener by itself.
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
                listener.ExclusiveAddressUse = true;
            // A chat of up to 256 members may all dial a newcomer, or a seed, at once: with a backlog of 128 the kernel
            // dropped the rest, and their connects timed out (the system caps it at its own somaxconn).
            listener.Start(Backlog);
            return listener;
        }

        /// <summary>Accepts until the listener is disposed, calling <paramref name="onAccepted"/> for each socket.</summary>
        public async Task RunAsync(Action<Socket> onAccepted)
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync().ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted || e.SocketErrorCode == SocketError.Interrupted)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue; // a connection reset before we accepted it: keep listening
                }
                catch (InvalidOperationException)
                {
                    return; // stopped
                }
                onAccepted(socket);
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
