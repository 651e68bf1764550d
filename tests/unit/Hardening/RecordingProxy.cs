using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// A loopback TCP relay that forwards one connection to a session and keeps a copy of every byte each way: what an
    /// eavesdropper on the network would hold, to replay later.
    /// </summary>
    public sealed class RecordingProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly int _targetPort;
        private readonly MemoryStream _toServer = new MemoryStream();
        private readonly MemoryStream _toClient = new MemoryStream();
        private Task _relay = Task.CompletedTask;
        private Socket? _client;
        private Socket? _server;

        public RecordingProxy(int targetPort)
        {
            _targetPort = targetPort;
            _listener.Start();
            _relay = RelayOneAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>Completes when both directions have ended.</summary>
        public Task Finished => _relay;

        public byte[] ClientToServer { get { lock (_toServer) return _toServer.ToArray(); } }

        public byte[] ServerToClient { get { lock (_toClient) return _toClient.ToArray(); } }

        private async Task RelayOneAsync()
        {
            _client = await _listener.AcceptSocketAsync();
            _server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await _server.ConnectAsync(IPAddress.Loopback, _targetPort);
            await Task.WhenAll(PumpAsync(_client, _server, _toServer), PumpAsync(_server, _client, _toClient));
        }

        private static async Task PumpAsync(Socket from, Socket to, MemoryStream copy)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    int n = await from.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0) break;
                    lock (copy) copy.Write(buffer, 0, n);
                    await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                }
                to.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                // one side reset or went away: the recording ends here
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _client?.Dispose();
            _server?.Dispose();
        }
    }
}
