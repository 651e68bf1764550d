using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>
    /// A loopback TCP proxy that can stop forwarding without closing anything: the two ends keep their sockets open and
    /// hear nothing, as behind a cut cable or a frozen process. Only heartbeats can tell.
    /// </summary>
    public sealed class FaultyProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly IPEndPoint _target;
        private readonly List<Socket> _sockets = new List<Socket>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private volatile bool _frozen;

        public FaultyProxy(int targetPort)
        {
            _target = new IPEndPoint(IPAddress.Loopback, targetPort);
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>From now on, bytes are read and thrown away in both directions; no socket is closed.</summary>
        public void Freeze() => _frozen = true;

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try { client = await _listener.AcceptSocketAsync(_stop.Token); }
                catch (Exception) { return; }
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try { await server.ConnectAsync(_target, _stop.Token); }
                catch (Exception) { client.Dispose(); server.Dispose(); continue; }
                lock (_sockets) { _sockets.Add(client); _sockets.Add(server); }
                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        }

        private async Task PumpAsync(Socket from, Socket to)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    // Frozen means cut: not even an end of stream gets through, as with a pulled cable.
                    if (_frozen) { if (read == 0) return; continue; }
                    if (read == 0) { to.Shutdown(SocketShutdown.Send); return; }
                    await to.SendAsync(new ArraySegment<byte>(buffer, 0, read), SocketFlags.None, _stop.Token);
                }
            }
            catch (Exception)
            {
                // the test is over or one side went away
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_sockets) foreach (var s in _sockets) s.Dispose();
        }
    }
}
