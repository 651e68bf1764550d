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
    /// Both are rings of entries that grow up to the bound, so adding an entry allocates nothing once a ring has grown.
    /// </summary>
    internal sealed class ChatInbox
    {
        private const int InitialRing = 64;

        private readonly object _gate = new object();
        private readonly Ring _received;
        private readonly Ring _own;
        private long _stamp;
        private long _dropped;
        private long _droppedUnreported;
        private bool _completed;
        private TaskCompletionSource<bool> _arrival = NewSignal();
        private bool _arrivalAwaited; // only then does an arrival cost a new signal: the hot path stays allocation-free

        internal ChatInbox(int capacity)
        {
            Capacity = capacity;
            _received = new Ring(capacity);
            _own = new Ring(capacity);
        }

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
                var ring = message.IsOwn ? _own : _received;
                var oldest = ring.Add(new Entry(++_stamp, message));
                if (oldest != null && !message.IsOwn)
                {
                    dropped = oldest;
                    _dropped++;
                    _droppedUnreported++;
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
            lock (_gate)
            {
                if (filter == null && !includeOwn)
                {
                    // The common case, Receive-ChatMessage without filters: the oldest entries, straight off the ring.
                    var all = new List<ChatMessage>(Math.Min(max, _received.Count));
                    while (all.Count < max && _received.Count > 0) all.Add(_received.RemoveFirst().Message);
                    return all;
                }
                var taken = new List<ChatMessage>();
                // Walk both rings in stamp order; entries that stay are moved up over the ones taken, in place.
                var received = _received.BeginWalk();
                var own = includeOwn ? _own.BeginWalk() : default;
                while (taken.Count < max && (received.HasCurrent || own.HasCurrent))
                {
                    bool fromOwn = own.HasCurrent && (!received.HasCurrent || own.Current.Stamp < received.Current.Stamp);
                    if (fromOwn) Visit(ref own, filter, taken);
                    else Visit(ref received, filter, taken);
                }
                _received.EndWalk(received);
                if (includeOwn) _own.EndWalk(own);
                return taken;
            }
        }

        private static void Visit(ref Ring.Walk walk, Func<ChatMessage, bool>? filter, List<ChatMessage> taken)
        {
            var entry = walk.Current;
            if (filter == null || filter(entry.Message))
            {
                taken.Add(entry.Message);
                walk.Skip();
            }
            else
            {
                walk.Keep();
            }
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

        /// <summary>A bounded ring of entries, oldest first, that grows by doubling up to its bound. Used under the inbox's lock.</summary>
        private sealed class Ring
        {
            private readonly int _bound;
            private Entry[] _items;
            private int _head;

            public Ring(int bound)
            {
                _bound = bound;
                _items = new Entry[Math.Min(bound, InitialRing)];
            }

            public int Count { get; private set; }

            /// <summary>Appends; when the ring is at its bound, drops the oldest entry and returns its message.</summary>
            public ChatMessage? Add(Entry entry)
            {
                ChatMessage? dropped = null;
                if (Count == _bound)
                {
                    dropped = RemoveFirst().Message;
                }
                else if (Count == _items.Length)
                {
                    Grow();
                }
                _items[(_head + Count) % _items.Length] = entry;
                Count++;
                return dropped;
            }

            public Entry RemoveFirst()
            {
                var entry = _items[_head];
                _items[_head] = default; // the ring must not keep a taken message alive
                _head = (_head + 1) % _items.Length;
                Count--;
                return entry;
            }

            public Walk BeginWalk() => new Walk(this);

            /// <summary>Moves the entries the walk did not reach up behind the kept ones and clears the freed slots.</summary>
            public void EndWalk(Walk walk)
            {
                if (walk.Ring == null) return;
                int kept = walk.Written;
                for (int read = walk.Read; read < Count; read++, kept++)
                {
                    _items[(_head + kept) % _items.Length] = _items[(_head + read) % _items.Length];
                }
                for (int i = kept; i < Count; i++) _items[(_head + i) % _items.Length] = default;
                Count = kept;
            }

            private void Grow()
            {
                var larger = new Entry[Math.Min(_bound, Math.Max(InitialRing, _items.Length * 2))];
                for (int i = 0; i < Count; i++) larger[i] = _items[(_head + i) % _items.Length];
                _items = larger;
                _head = 0;
            }

            /// <summary>A pass over the ring in order that keeps some entries (moved up, in order) and skips the others.</summary>
            public struct Walk
            {
                public readonly Ring? Ring;
                public int Read;
                public int Written;

                public Walk(Ring ring)
                {
                    Ring = ring;
                    Read = 0;
                    Written = 0;
                }

                public bool HasCurrent => Ring != null && Read < Ring.Count;

                public Entry Current => Ring!._items[(Ring._head + Read) % Ring._items.Length];

                public void Keep()
                {
                    if (Written != Read) Ring!._items[(Ring._head + Written) % Ring._items.Length] = Current;
                    Written++;
                    Read++;
                }

                public void Skip() => Read++;
            }
        }
    }
}
