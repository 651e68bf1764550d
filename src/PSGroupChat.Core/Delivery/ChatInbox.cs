using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// The bounded queue of what a session received, read by Receive-ChatMessage. When it is full the oldest entry is
    /// dropped and counted, so memory stays flat when nobody reads. The session's own messages are kept in a separate
    /// history of the same bound, never counted as dropped, and merged in arrival order only for callers that ask for them.
    /// </summary>
    internal sealed class ChatInbox
    {
        private readonly object _gate = new object();
        private readonly LinkedList<Entry> _received = new LinkedList<Entry>();
        private readonly LinkedList<Entry> _own = new LinkedList<Entry>();
        private long _stamp;
        private long _dropped;
        private long _droppedUnreported;
        private bool _completed;
        private TaskCompletionSource<bool> _arrival = NewSignal();
        private bool _arrivalAwaited; // only then does an arrival cost a new signal: the hot path stays allocation-free

        internal ChatInbox(int capacity) => Capacity = capacity;

        /// <summary>The most entries kept.</summary>
        public int Capacity { get; }

        /// <summary>How many received entries are waiting.</summary>
        public int Count { get { lock (_gate) return _received.Count; } }

        /// <summary>How many entries were dropped because the inbox was full, over the session's life.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        /// <summary>Raised after an entry is dropped; the argument is the dropped entry.</summary>
        internal event Action<ChatMessage>? EntryDropped;

        internal void Add(ChatMessage message)
        {
            ChatMessage? dropped = null;
            TaskCompletionSource<bool>? signal = null;
            lock (_gate)
            {
                if (_completed) return;
                var list = message.IsOwn ? _own : _received;
                list.AddLast(new Entry(++_stamp, message));
                if (list.Count > Capacity)
                {
                    var oldest = list.First!.Value.Message;
                    list.RemoveFirst();
                    if (!message.IsOwn)
                    {
                        dropped = oldest;
                        _dropped++;
                        _droppedUnreported++;
                    }
                }
                if (_arrivalAwaited)
                {
                    signal = _arrival;
                    _arrival = NewSignal();
                    _arrivalAwaited = false;
                }
            }
            signal?.TrySetResult(true);
            if (dropped != null) EntryDropped?.Invoke(dropped);
        }

        /// <summary>
        /// Removes and returns the entries that match, oldest first, at most <paramref name="max"/>. Entries that do not
        /// match stay queued. Own messages are returned (and removed) only with <paramref name="includeOwn"/>.
        /// </summary>
        public IReadOnlyList<ChatMessage> Take(Func<ChatMessage, bool>? filter = null, bool includeOwn = false, int max = int.MaxValue)
        {
            var taken = new List<ChatMessage>();
            lock (_gate)
            {
                var received = _received.First;
                var own = includeOwn ? _own.First : null;
                while (taken.Count < max && (received != null || own != null))
                {
                    bool fromOwn = own != null && (received == null || own.Value.Stamp < received.Value.Stamp);
                    var node = fromOwn ? own! : received!;
                    var next = node.Next;
                    if (filter == null || filter(node.Value.Message))
                    {
                        taken.Add(node.Value.Message);
                        node.List!.Remove(node);
                    }
                    if (fromOwn) own = next; else received = next;
                }
            }
            return taken;
        }

        /// <summary>Returns the number of entries dropped since the last call, and resets it, so each drop is reported once.</summary>
        public long TakeDroppedCount()
        {
            lock (_gate)
            {
                long count = _droppedUnreported;
                _droppedUnreported = 0;
                return count;
            }
        }

        /// <summary>A number that rises with every entry added; pass it to <see cref="WhenArrivalAsync"/>.</summary>
        public long LastArrival { get { lock (_gate) return _stamp; } }

        /// <summary>
        /// A task that completes when an entry newer than <paramref name="afterArrival"/> (a value of
        /// <see cref="LastArrival"/>) is there, or the inbox is completed (session stopped). Read LastArrival, take the
        /// entries, then wait: an entry that arrived in between completes the task at once, so no wake-up is lost.
        /// </summary>
        public Task WhenArrivalAsync(long afterArrival)
        {
            lock (_gate)
            {
                if (_completed || _stamp > afterArrival) return Task.CompletedTask;
                _arrivalAwaited = true;
                return _arrival.Task;
            }
        }

        /// <summary>True once the session has stopped: nothing more will arrive.</summary>
        public bool IsCompleted { get { lock (_gate) return _completed; } }

        internal void Complete()
        {
            TaskCompletionSource<bool> signal;
            lock (_gate)
            {
                _completed = true;
                signal = _arrival;
            }
            signal.TrySetResult(false);
        }

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly record struct Entry(long Stamp, ChatMessage Message);
    }
}
