using System.Collections.Generic;
using System.Linq;
using PSGroupChat.Protocol;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// One sender's sequence space as this session receives it (an origin's broadcasts, or its direct messages to this
    /// session): the highest sequence delivered with none missing below it, and the messages that came early, waiting
    /// for the ones before them. A sequence at or below the mark, or already waiting, is a duplicate. Not thread-safe:
    /// the router's lock guards it.
    /// </summary>
    internal sealed class SequenceSpace
    {
        private readonly SortedDictionary<long, MessageFrame> _waiting = new SortedDictionary<long, MessageFrame>();

        public SequenceSpace(long contiguous) => Contiguous = contiguous;

        /// <summary>The highest sequence delivered (or given up) with none missing below it.</summary>
        public long Contiguous { get; private set; }

        public int WaitingCount => _waiting.Count;

        public bool Holds(long sequence) => sequence <= Contiguous || (_waiting.Count > 0 && _waiting.ContainsKey(sequence));

        /// <summary>
        /// Takes <paramref name="sequence"/> when it is the next one and nothing waits behind the mark, which is how nearly
        /// every message comes: the caller delivers it at once, with no arrival listed.
        /// </summary>
        public bool TryTakeNext(long sequence)
        {
            if (sequence != Contiguous + 1 || _waiting.Count > 0) return false;
            Contiguous = sequence;
            return true;
        }

        /// <summary>
        /// Takes a message in: the next one is ready at once, with whatever waited behind it; a later one waits. More than
        /// <paramref name="waitLimit"/> waiting gives up the oldest hole (a Missed arrival), so memory stays bounded.
        /// </summary>
        public void Offer(MessageFrame frame, int waitLimit, List<Arrival> ready)
        {
            if (Holds(frame.Sequence)) return;
            if (frame.Sequence == Contiguous + 1)
            {
                Contiguous++;
                ready.Add(Arrival.Of(frame));
                Drain(ready);
                return;
            }
            _waiting[frame.Sequence] = frame;
            if (_waiting.Count > waitLimit)
            {
                long first = _waiting.Keys.First();
                ready.Add(Arrival.Missed(Contiguous + 1, first - 1, first - 1 - Contiguous));
                Contiguous = first - 1;
                Drain(ready);
            }
        }

        /// <summary>
        /// Stops waiting for <paramref name="from"/>..<paramref name="to"/>, gone from the history of whoever said so: one
        /// Missed arrival counting those that never came, then whatever waited behind them. A gap that does not touch the
        /// mark is ignored (what lies before it is still on its way).
        /// </summary>
        public void Skip(long from, long to, List<Arrival> ready)
        {
            if (to <= Contiguous || from > Contiguous + 1) return;
            long first = Contiguous + 1;
            long missed = 0;
            for (long s = first; s <= to; s++)
            {
                if (!_waiting.ContainsKey(s)) missed++;
            }
            if (missed > 0) ready.Add(Arrival.Missed(first, to, missed));
            // What waited inside the gap arrived after all: delivered, in order, after the notice.
            while (Contiguous < to)
            {
                Contiguous++;
                if (_waiting.TryGetValue(Contiguous, out var frame))
                {
                    _waiting.Remove(Contiguous);
                    ready.Add(Arrival.Of(frame));
                }
            }
            Drain(ready);
        }

        /// <summary>Moves the mark up without delivering: for this session's own sequence.</summary>
        public long Next() => ++Contiguous;

        private void Drain(List<Arrival> ready)
        {
            while (_waiting.Count > 0 && _waiting.TryGetValue(Contiguous + 1, out var next))
            {
                _waiting.Remove(Contiguous + 1);
                Contiguous++;
                ready.Add(Arrival.Of(next));
            }
        }
    }
}
