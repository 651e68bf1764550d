using System;
using System.Collections.Generic;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// Reconciliation state of one link (a new link starts from nothing): what the member at its other end has said it
    /// holds, what this side has queued on the link, and what this side last told it. Guarded by the router's lock.
    /// </summary>
    internal sealed class LinkMarks
    {
        // Per origin, the highest contiguous sequence the member holds, from its digests and the messages it sent. Raised
        // on every message that comes over the link, so each mark is a box changed in place: one look-up, not two.
        private readonly Dictionary<string, Mark> _peerHas = new Dictionary<string, Mark>(StringComparer.Ordinal);

        /// <summary>Per origin, the highest sequence queued on this link with none skipped since the member's mark.</summary>
        public Dictionary<string, long> Sent { get; } = new Dictionary<string, long>(StringComparer.Ordinal);

        /// <summary>Per origin, the mark this side last put in a digest on this link.</summary>
        public Dictionary<string, long> Advertised { get; } = new Dictionary<string, long>(StringComparer.Ordinal);

        /// <summary>
        /// Whether this side's first digest went out on the link: only then are live messages queued on it, so that the
        /// digest is always the first delivery frame the member reads (it says where this side's messages start).
        /// </summary>
        public bool Opened { get; set; }

        /// <summary>Whether the member's first digest came: only then is anything pushed (it says where to start).</summary>
        public bool DigestReceived { get; set; }

        /// <summary>The member's mark of this session's direct messages to it.</summary>
        public long PeerHasDirect { get; set; }

        public long DirectSent { get; set; }

        public long AdvertisedDirect { get; set; } = -1;

        /// <summary>A history request is answered once per link.</summary>
        public bool HistoryServed { get; set; }

        /// <summary>The highest contiguous sequence of <paramref name="origin"/> the member holds; -1 when it never said.</summary>
        public long PeerMark(string origin) => _peerHas.TryGetValue(origin, out var mark) ? mark.Value : -1;

        public long SentMark(string origin) => Sent.TryGetValue(origin, out long v) ? v : -1;

        public void RaisePeerMark(string origin, long mark)
        {
            if (!_peerHas.TryGetValue(origin, out var held)) _peerHas[origin] = new Mark { Value = mark };
            else if (held.Value < mark) held.Value = mark;
        }

        private sealed class Mark
        {
            public long Value;
        }
    }
}
