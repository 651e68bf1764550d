using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Bench.Support;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// A receiving application: takes everything from a session's inbox as it arrives, as Receive-ChatMessage -Wait
    /// does, and counts the chat messages. Because the sender's window bounds what is in flight well below the inbox
    /// capacity, nothing counted can be dropped; the benchmark checks that none was.
    /// </summary>
    internal sealed class InboxDrain
    {
        private readonly ChatSession _session;
        private readonly int _receiver;
        private LatencyRecorder? _latency;
        private long _latencyBase;

        public InboxDrain(ChatSession session, int receiver, Action? onProgress)
        {
            _session = session;
            _receiver = receiver;
            Counter = new DeliveryCounter(onProgress);
            Running = Task.Run(RunAsync);
        }

        public DeliveryCounter Counter { get; }

        /// <summary>Ends when the session stops.</summary>
        public Task Running { get; }

        /// <summary>Records when each message of a latency run is taken from the inbox: sequence − base − 1 is its index.</summary>
        public void RecordTakes(LatencyRecorder? recorder, long sequenceBase)
        {
            _latencyBase = sequenceBase;
            Volatile.Write(ref _latency, recorder);
        }

        private async Task RunAsync()
        {
            var inbox = _session.Inbox;
            while (!inbox.IsCompleted)
            {
                long seen = inbox.LastArrival;
                var taken = inbox.Take();
                if (taken.Count == 0)
                {
                    await inbox.WhenArrivalAsync(seen).ConfigureAwait(false);
                    continue;
                }
                var latency = Volatile.Read(ref _latency);
                long now = latency == null ? 0 : Stopwatch.GetTimestamp();
                int messages = 0;
                foreach (var message in taken)
                {
                    if (message.Kind != ChatMessageKind.Message) continue;
                    messages++;
                    latency?.Arrived(_receiver, message.Sequence - _latencyBase - 1, now);
                }
                if (messages > 0) Counter.Add(messages);
            }
        }
    }
}
