using System;
using System.Buffers;
using System.Collections.Generic;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// One sequence space's delivered messages, oldest first, within the <see cref="HistoryBound"/>: what this session
    /// can send to a member that lacks them. Sequences rise but may skip (messages this session missed itself). Not
    /// thread-safe: the router's lock guards it.
    /// </summary>
    /// <remarks>
    /// Messages are kept as their encoded frames in pooled arrays, each given back when it leaves: history holds
    /// thousands of messages per sender for a while, and as objects (a message and its text) every one of them would
    /// outlive the garbage collector's young generation and be copied up into the old one, the costliest way to
    /// collect; a pooled array is reused instead.
    /// </remarks>
    internal sealed class MessageHistory
    {
        private readonly List<StoredMessage> _kept = new List<StoredMessage>();
        private readonly ArrayPool<byte> _pool;
        private int _head; // entries before it are pruned; compacted once they are half the list

        /// <param name="pool">Where the kept frames come from and go back to; the shared pool unless a test wants to watch.</param>
        public MessageHistory(ArrayPool<byte>? pool = null) => _pool = pool ?? ArrayPool<byte>.Shared;

        public int Count => _kept.Count - _head;

        /// <summary>The pool the frames given to <see cref="Keep"/> must come from.</summary>
        public ArrayPool<byte> Pool => _pool;

        /// <summary>Keeps a message; <paramref name="frame"/> must be rented from <see cref="Pool"/>, and belongs to the history from now on.</summary>
        public void Keep(long sequence, long sentAtUnixMs, DateTimeOffset storedAt, byte[] frame, int limit)
        {
            while (Count >= limit) Drop();
            _kept.Add(new StoredMessage(sequence, sentAtUnixMs, storedAt, frame));
            Compact();
        }

        /// <summary>Keeps a copy of an encoded frame.</summary>
        public void KeepCopy(long sequence, long sentAtUnixMs, DateTimeOffset storedAt, byte[] frame, int limit)
        {
            var copy = _pool.Rent(frame.Length);
            Buffer.BlockCopy(frame, 0, copy, 0, frame.Length);
            Keep(sequence, sentAtUnixMs, storedAt, copy, limit);
        }

        /// <summary>Drops what was stored before <paramref name="oldest"/>.</summary>
        public void Prune(DateTimeOffset oldest)
        {
            while (_head < _kept.Count && _kept[_head].StoredAt < oldest) Drop();
            Compact();
        }

        /// <summary>The index of the first kept message with a sequence at or above <paramref name="sequence"/>; Count when none.</summary>
        public int IndexFrom(long sequence)
        {
            int lo = _head, hi = _kept.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (_kept[mid].Sequence < sequence) lo = mid + 1; else hi = mid;
            }
            return lo - _head;
        }

        /// <summary>A kept message; its frame is only valid until the history next changes (it may go back to the pool).</summary>
        public StoredMessage this[int index] => _kept[_head + index];

        private void Drop()
        {
            var frame = _kept[_head].Frame;
            _kept[_head] = default; // no entry may point to an array the pool has handed out again
            _head++;
            _pool.Return(frame);
        }

        private void Compact()
        {
            if (_head < 1024 || _head < _kept.Count / 2) return;
            _kept.RemoveRange(0, _head);
            _head = 0;
        }
    }
}
