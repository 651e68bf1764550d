using System;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// Reconciliation state of one link (a new link starts from nothing): what the member at its other end has said it
    /// holds, what this side has queued on the link, and what this side last told it. Guarded by the router's lock.
    /// </summary>
    internal sealed class LinkMarks
    {
        // Per origin, its three marks on this link, at the origin's index in the session (origins are only ever added):
        // no look-up by id and no object per origin (a 100-peer mesh holds 9,900 links of 100 origins each).
        private Marks[] _origins;

        /// <param name="origins">How many origins the chat has now: the table is made that large at once.</param>
        public LinkMarks(int origins)
        {
            _origins = new Marks[Math.Max(origins, 4)];
            _origins.AsSpan().Fill(Marks.None);
        }

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

        /// <summary>
        /// The heartbeat count when the link was last told and pushed everything (or opened): then the next heartbeat needs
        /// to look only at the origins whose marks moved since. -1: never.
        /// </summary>
        public long ServedAtHeartbeat { get; set; } = -1;

        /// <summary>
        /// Whether the member may lack something no moved mark shows: the last push left some unsent (not settled yet,
        /// or over its budget), or the member's marks moved (one it never told may now be known). Then every origin is
        /// looked at.
        /// </summary>
        public bool PushDue { get; set; } = true;

        /// <summary>A history request is answered once per link.</summary>
        public bool HistoryServed { get; set; }

        /// <summary>The highest contiguous sequence of <paramref name="origin"/> the member holds; -1 when it never said.</summary>
        public long PeerMark(OriginLog origin) => origin.Index < _origins.Length ? _origins[origin.Index].PeerHas : -1;

        /// <summary>The highest sequence of <paramref name="origin"/> queued on this link with none skipped since the member's mark; -1 when none.</summary>
        public long SentMark(OriginLog origin) => origin.Index < _origins.Length ? _origins[origin.Index].Sent : -1;

        public void SetSent(OriginLog origin, long sequence) => Of(origin).Sent = sequence;

        public void RaisePeerMark(OriginLog origin, long mark)
        {
            ref var marks = ref Of(origin);
            if (marks.PeerHas >= mark) return;
            marks.PeerHas = mark;
            PushDue = true;
        }

        /// <summary>
        /// Records <paramref name="mark"/> as told to the member in a digest; false when it was the last mark told and
        /// <paramref name="always"/> is not set (nothing to tell).
        /// </summary>
        public bool Advertise(OriginLog origin, long mark, bool always)
        {
            ref var marks = ref Of(origin);
            if (!always && marks.Advertised == mark) return false;
            marks.Advertised = mark;
            return true;
        }

        private ref Marks Of(OriginLog origin)
        {
            int index = origin.Index;
            if (index >= _origins.Length)
            {
                int old = _origins.Length;
                Array.Resize(ref _origins, Math.Max(index + 1, 2 * old));
                _origins.AsSpan(old).Fill(Marks.None);
            }
            return ref _origins[index];
        }

        /// <summary>One origin's marks on the link; -1 where nothing was said, queued or told yet (sequences start at 0).</summary>
        private struct Marks
        {
            public static readonly Marks None = new Marks { PeerHas = -1, Sent = -1, Advertised = -1 };

            public long PeerHas;
            public long Sent;
            public long Advertised;
        }
    }
}
