using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using PSGroupChat.Bench.Support;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// The physical limit: one TCP socket per pair of peers on loopback, each message a 4-byte big-endian length and the
    /// payload, no serialisation. The sender packs messages into 64 KiB batches and writes each batch to each receiver
    /// with one blocking call, so TCP's own flow control paces it; each receiver is a thread that reads 64 KiB at a time
    /// and walks the length prefixes, touching no payload byte except, when timing, the index in its first four.
    /// </summary>
    internal sealed class RawTcpMesh : ILatencyMesh
    {
        private const int BatchBytes = 64 * 1024;
        private readonly List<Socket> _sockets = new List<Socket>();
        private readonly Socket[] _outbound;
        private readonly DeliveryCounter[] _receivers;
        private readonly Thread[] _readers;
        private readonly byte[] _payload;
        private readonly byte[] _batch = new byte[BatchBytes];
        private LatencyRecorder? _latency;

        private RawTcpMesh(int peers, int payloadBytes)
        {
            PayloadBytes = payloadBytes;
            _payload = new byte[payloadBytes];
            for (int i = 0; i < payloadBytes; i++) _payload[i] = (byte)('a' + i % 26);

            // Peer i dials every peer j > i, so every pair has exactly one socket, as in a full mesh.
            var listeners = new TcpListener[peers];
            for (int i = 0; i < peers; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }
            var ends = new Socket[peers, peers];
            for (int i = 0; i < peers; i++)
            {
                for (int j = i + 1; j < peers; j++)
                {
                    var dialer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    dialer.Connect(IPAddress.Loopback, ((IPEndPoint)listeners[j].LocalEndpoint).Port);
                    var accepted = listeners[j].AcceptSocket();
                    accepted.NoDelay = true;
                    ends[i, j] = dialer;
                    ends[j, i] = accepted;
                    _sockets.Add(dialer);
                    _sockets.Add(accepted);
                }
            }
            foreach (var listener in listeners) listener.Stop();

            _outbound = new Socket[peers - 1];
            _receivers = new DeliveryCounter[peers - 1];
            _readers = new Thread[peers - 1];
            for (int r = 1; r < peers; r++)
            {
                _outbound[r - 1] = ends[0, r];
                var counter = _receivers[r - 1] = new DeliveryCounter();
                var inbound = ends[r, 0];
                int receiver = r - 1;
                _readers[r - 1] = new Thread(() => ReadLoop(inbound, counter, receiver)) { IsBackground = true, Name = $"raw receiver {r}" };
                _readers[r - 1].Start();
            }
        }

        public string Name => "raw TCP";

        public int PayloadBytes { get; }

        public IReadOnlyList<DeliveryCounter> Receivers => _receivers;

        public static RawTcpMesh Create(int peers, int payloadBytes) => new RawTcpMesh(peers, payloadBytes);

        public void SendBurst(int count)
        {
            int frame = 4 + PayloadBytes;
            int length = 0;
            for (int i = 0; i < count; i++)
            {
                if (length + frame > _batch.Length)
                {
                    WriteToAll(_batch, length);
                    length = 0;
                }
                BinaryPrimitives.WriteInt32BigEndian(_batch.AsSpan(length), PayloadBytes);
                Buffer.BlockCopy(_payload, 0, _batch, length + 4, PayloadBytes);
                length += frame;
            }
            if (length > 0) WriteToAll(_batch, length);
        }

        public void BeginLatencyRun(LatencyRecorder recorder) => Volatile.Write(ref _latency, recorder);

        public void SendTimed(int index)
        {
            var frame = new byte[4 + PayloadBytes];
            BinaryPrimitives.WriteInt32BigEndian(frame, PayloadBytes);
            Buffer.BlockCopy(_payload, 0, frame, 4, PayloadBytes);
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), index);
            _latency!.Sent(index);
            WriteToAll(frame, frame.Length);
        }

        public void EndLatencyRun() => Volatile.Write(ref _latency, null);

        public void Dispose()
        {
            foreach (var socket in _sockets) socket.Dispose();
            foreach (var reader in _readers) reader.Join(TimeSpan.FromSeconds(5));
        }

        private void WriteToAll(byte[] buffer, int length)
        {
            foreach (var socket in _outbound)
            {
                int offset = 0;
                while (offset < length) offset += socket.Send(buffer, offset, length - offset, SocketFlags.None);
            }
        }

        private void ReadLoop(Socket socket, DeliveryCounter counter, int receiver)
        {
            var buffer = new byte[BatchBytes];
            int start = 0, end = 0;
            try
            {
                while (true)
                {
                    int read = socket.Receive(buffer, end, buffer.Length - end, SocketFlags.None);
                    if (read == 0) return;
                    end += read;
                    var latency = Volatile.Read(ref _latency);
                    long now = latency == null ? 0 : Stopwatch.GetTimestamp();
                    int frames = 0;
                    while (end - start >= 4)
                    {
                        int length = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(start));
                        if (end - start < 4 + length) break;
                        latency?.Arrived(receiver, BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(start + 4)), now);
                        start += 4 + length;
                        frames++;
                    }
                    if (start == end) start = end = 0;
                    else if (start > buffer.Length / 2 || end == buffer.Length)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    if (frames > 0) counter.Add(frames);
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                // the mesh was disposed
            }
        }
    }
}
