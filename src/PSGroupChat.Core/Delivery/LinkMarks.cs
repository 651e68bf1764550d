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
        // Per origin, one box of its three marks on this link, changed in place: one look-up per origin, not one per
        // mark, and one table per link instead of three (a 100-peer mesh holds 9,900 links of 100 origins each).
        private readonly Dictionary<string, Marks> _origins;

        /// <param name="origins">How many origins the chat has now: the table is made that large at once.</param>
        public LinkMarks(int origins) => _origins = new Dictionary<string, Marks>(origins, StringComparer.Ordinal);

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
        public long PeerMark(string origin) => _origins.TryGetValue(origin, out var marks) ? marks.PeerHas : -1;

        /// <summary>The highest sequence of <paramref name="origin"/> queued on this link with none skipped since the member's mark; -1 when none.</summary>
        public long SentMark(string origin) => _origins.TryGetValue(origin, out var marks) ? marks.Sent : -1;

        public void SetSent(string origin, long sequence) => Of(origin).Sent = sequence;

        public void RaisePeerMark(string origin, long mark)
        {
            var marks = Of(origin);
            if (marks.PeerHas < mark) marks.PeerHas = mark;
        }

        /// <summary>
        /// Records <paramref name="mark"/> as told to the member in a digest; false when it was the last mark told and
        /// <paramref name="always"/> is not set (nothing to tell).
        /// </summary>
        public bool Advertise(string origin, long mark, bool always)
        {
            var marks = Of(origin);
            if (!always && marks.Advertised == mark) return false;
            marks.Advertised = mark;
            return true;
        }

        private Marks Of(string origin)
        {
            if (!_origins.TryGetValue(origin, out var marks)) _origins[origin] = marks = new Marks();
            return marks;
        }

        /// <summary>One origin's marks on the link; -1 where nothing was said, queued or told yet (sequences start at 0).</summary>
        private sealed class Marks
        {
            public long PeerHas = -1;
            public long Sent = -1;
            public long Advertised = -1;
        }
    }
}
