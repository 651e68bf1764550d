using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Bench.Support;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// PSGroupChat through its public API: peer 0 calls <see cref="ChatSession.Send"/>, every other peer's application
    /// drains its inbox (<see cref="InboxDrain"/>). The sender keeps within a window of its slowest receiver, because
    /// Send never blocks and a member whose send queue overflows is disconnected as a slow consumer.
    /// </summary>
    internal sealed class ChatBroadcastMesh : ILatencyMesh
    {
        private readonly ChatMesh _mesh;
        private readonly InboxDrain[] _drains;
        private readonly DeliveryCounter[] _receivers;
        private readonly SendWindow _window;
        private readonly string _text;
        private readonly EventHandler<ChatMessageEventArgs>[] _onReceived;
        private LatencyRecorder? _latency;
        private LatencyRecorder? _inboxLatency;
        private long _latencyBase;
        private long _sent;

        private ChatBroadcastMesh(ChatMesh mesh, ChatLinks links, int payloadBytes, int window)
        {
            _mesh = mesh;
            Links = links;
            PayloadBytes = payloadBytes;
            _text = new string(Enumerable.Range(0, payloadBytes).Select(i => (char)('a' + i % 26)).ToArray());
            _window = new SendWindow(window);
            _drains = mesh.Peers.Skip(1).Select((peer, i) => new InboxDrain(peer, i, _window.Progress)).ToArray();
            _receivers = _drains.Select(d => d.Counter).ToArray();
            _window.Follow(_receivers);
            _onReceived = mesh.Peers.Skip(1).Select((_, i) => (EventHandler<ChatMessageEventArgs>)((_, e) => OnReceived(i, e.Message))).ToArray();
        }

        public string Name => Links.SystemName();

        /// <summary>Whether the peers link in clear or with TLS.</summary>
        public ChatLinks Links { get; }

        public int PayloadBytes { get; }

        public IReadOnlyList<DeliveryCounter> Receivers => _receivers;

        public ChatSession Sender => _mesh.Peers[0];

        public static async Task<ChatBroadcastMesh> CreateAsync(int peers, ChatLinks links, int payloadBytes, int window)
        {
            var mesh = await ChatMesh.FormAsync(peers, links, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            return new ChatBroadcastMesh(mesh, links, payloadBytes, window);
        }

        public void SendBurst(int count)
        {
            var sender = Sender;
            for (int i = 0; i < count; i++)
            {
                _window.WaitForRoom(_sent);
                sender.Send(_text);
                _sent++;
            }
        }

        /// <summary>Also records when each message is taken from the inbox, the moment Receive-ChatMessage would see it.</summary>
        public void RecordInboxTakes(LatencyRecorder recorder) => _inboxLatency = recorder;

        public void BeginLatencyRun(LatencyRecorder recorder)
        {
            _latencyBase = Sender.MessagesSent;
            _latency = recorder;
            for (int i = 0; i < _drains.Length; i++)
            {
                _drains[i].RecordTakes(_inboxLatency, _latencyBase);
                _mesh.Peers[i + 1].MessageReceived += _onReceived[i];
            }
        }

        public void SendTimed(int index)
        {
            long now = Stopwatch.GetTimestamp();
            _latency!.Sent(index, now);
            _inboxLatency?.Sent(index, now);
            Sender.Send(_text);
            _sent++;
        }

        public void EndLatencyRun()
        {
            for (int i = 0; i < _drains.Length; i++)
            {
                _mesh.Peers[i + 1].MessageReceived -= _onReceived[i];
                _drains[i].RecordTakes(null, 0);
            }
            _latency = null;
            _inboxLatency = null;
        }

        /// <summary>Inbox entries dropped at any receiver: must stay 0, or counts would be short.</summary>
        public long DroppedAtReceivers => _mesh.Peers.Skip(1).Sum(p => p.MessagesDropped);

        public void Dispose()
        {
            _mesh.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Task.WaitAll(_drains.Select(d => d.Running).ToArray(), TimeSpan.FromSeconds(10));
        }

        private void OnReceived(int receiver, ChatMessage message) =>
            Volatile.Read(ref _latency)?.Arrived(receiver, message.Sequence - _latencyBase - 1, Stopwatch.GetTimestamp());
    }
}
