using System;
using System.Collections.Generic;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// One sequence space's delivered messages, oldest first, within the <see cref="HistoryBound"/>: what this session
    /// can send to a member that lacks them. Sequences rise but may skip (messages this session missed itself). Not
    /// thread-safe: the router's lock guards it.
    /// </summary>
    internal sealed class MessageHistory
    {
        private readonly List<StoredMessage> _kept = new List<StoredMessage>();
        private int _head; // entries before it are pruned; compacted once they are half the list

        public int Count => _kept.Count - _head;

        public void Keep(StoredMessage message, int limit)
        {
            _kept.Add(message);
            while (Count > limit) _head++;
            Compact();
        }

        /// <summary>Drops what was stored before <paramref name="oldest"/>.</summary>
        public void Prune(DateTimeOffset oldest)
        {
            while (_head < _kept.Count && _kept[_head].StoredAt < oldest) _head++;
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

        public StoredMessage this[int index] => _kept[_head + index];

        private void Compact()
        {
            if (_head < 1024 || _head < _kept.Count / 2) return;
            _kept.RemoveRange(0, _head);
            _head = 0;
        }
    }
}
