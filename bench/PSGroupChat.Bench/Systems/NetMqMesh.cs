using System;
using System.Collections.Generic;
using System.Threading;
using NetMQ;
using NetMQ.Sockets;
using PSGroupChat.Bench.Support;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// The same topology over NetMQ, the C# port of ZeroMQ: every peer binds a PUB socket and subscribes with one SUB
    /// socket to every other peer's PUB. Messages are sent with NetMQ's pooled-message path (SendFrame copies into a
    /// pooled Msg) and received into one reused Msg, its cheapest way; NetMQ batches the wire writes itself.
    /// </summary>
    internal sealed class NetMqMesh : IBroadcastMesh
    {
        private const int ProbeBytes = 1; // a readiness probe: never counted as a delivery
        private readonly PublisherSocket[] _publishers;
        private readonly SubscriberSocket[] _subscribers;
        private readonly DeliveryCounter[] _receivers;
        private readonly Thread[] _readers;
        private readonly int[] _ready;
        private readonly byte[] _payload;
        private readonly SendWindow _window;
        private volatile bool _stopping;
        private long _sent;

        private NetMqMesh(int peers, int payloadBytes, int window)
        {
            PayloadBytes = payloadBytes;
            _payload = new byte[payloadBytes];
            for (int i = 0; i < payloadBytes; i++) _payload[i] = (byte)('a' + i % 26);
            _window = new SendWindow(window);

            // A PUB socket drops what exceeds its high-water mark. The window already bounds what is in flight, so the
            // marks are off (0): with them at four times the window, NetMQ 4.0.4.5 still dropped messages here.
            const int highWater = 0;
            _publishers = new PublisherSocket[peers];
            var ports = new int[peers];
            for (int i = 0; i < peers; i++)
            {
                _publishers[i] = new PublisherSocket();
                _publishers[i].Options.SendHighWatermark = highWater;
                _publishers[i].Options.Linger = TimeSpan.Zero;
                ports[i] = _publishers[i].BindRandomPort("tcp://127.0.0.1");
            }
            _subscribers = new SubscriberSocket[peers];
            for (int i = 0; i < peers; i++)
            {
                _subscribers[i] = new SubscriberSocket();
                _subscribers[i].Options.ReceiveHighWatermark = highWater;
                _subscribers[i].Options.Linger = TimeSpan.Zero;
                for (int j = 0; j < peers; j++)
                {
                    if (j != i) _subscribers[i].Connect($"tcp://127.0.0.1:{ports[j]}");
                }
                _subscribers[i].SubscribeToAnyTopic();
            }

            _receivers = new DeliveryCounter[peers - 1];
            _readers = new Thread[peers - 1];
            _ready = new int[peers - 1];
            for (int r = 1; r < peers; r++)
            {
                var counter = _receivers[r - 1] = new DeliveryCounter(_window.Progress);
                var subscriber = _subscribers[r];
                int receiver = r - 1;
                _readers[r - 1] = new Thread(() => ReadLoop(subscriber, counter, receiver)) { IsBackground = true, Name = $"NetMQ receiver {r}" };
                _readers[r - 1].Start();
            }
            _window.Follow(_receivers);
            AwaitSubscriptions();
        }

        public string Name => "NetMQ";

        public int PayloadBytes { get; }

        public IReadOnlyList<DeliveryCounter> Receivers => _receivers;

        public static NetMqMesh Create(int peers, int payloadBytes, int window) => new NetMqMesh(peers, payloadBytes, window);

        public void SendBurst(int count)
        {
            var publisher = _publishers[0];
            for (int i = 0; i < count; i++)
            {
                _window.WaitForRoom(_sent);
                publisher.SendFrame(_payload, _payload.Length);
                _sent++;
            }
        }

        public void Dispose()
        {
            _stopping = true;
            foreach (var reader in _readers) reader.Join(TimeSpan.FromSeconds(5));
            foreach (var subscriber in _subscribers) subscriber.Dispose();
            foreach (var publisher in _publishers) publisher.Dispose();
        }

        /// <summary>
        /// A subscription reaches a publisher some time after Connect, and a PUB socket silently drops what it has no
        /// subscriber for yet (ZeroMQ's "slow joiner"): probe until every receiver hears peer 0.
        /// </summary>
        private void AwaitSubscriptions()
        {
            var probe = new byte[ProbeBytes];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!AllReady())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("NetMQ subscriptions did not reach the publisher within 10 s");
                _publishers[0].SendFrame(probe);
                Thread.Sleep(10);
            }
        }

        private bool AllReady()
        {
            for (int i = 0; i < _ready.Length; i++)
            {
                if (Volatile.Read(ref _ready[i]) == 0) return false;
            }
            return true;
        }

        private void ReadLoop(SubscriberSocket subscriber, DeliveryCounter counter, int receiver)
        {
            var message = new Msg();
            message.InitEmpty();
            var wait = TimeSpan.FromMilliseconds(100);
            while (!_stopping)
            {
                if (!subscriber.TryReceive(ref message, wait)) continue;
                int delivered = 0;
                do
                {
                    if (message.Size == ProbeBytes) Volatile.Write(ref _ready[receiver], 1);
                    else delivered++;
                }
                while (delivered < 4096 && subscriber.TryReceive(ref message, TimeSpan.Zero));
                if (delivered > 0) counter.Add(delivered);
            }
            message.Close();
        }
    }
}
