using System;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// What this session holds of one origin's broadcasts: its sequence space as received and the history of what was
    /// delivered, and the origin's user name once known (from its link, gossip, or a member list).
    /// </summary>
    internal sealed class OriginLog
    {
        public OriginLog(string origin, int index, long contiguous, string? userName)
        {
            Origin = origin;
            Index = index;
            Floor = contiguous;
            Received = new SequenceSpace(contiguous);
            UserName = userName;
        }

        public string Origin { get; }

        /// <summary>Its place among the session's origins, in the order they became known: where each link keeps its marks.</summary>
        public int Index { get; }

        public string? UserName { get; set; }

        /// <summary>What its delivered messages name as their parties, shared by all of them while <see cref="UserName"/> stays.</summary>
        public MessageParties? Parties { get; set; }

        /// <summary>
        /// The mark this session started the origin at: what lies at or below was sent before it heard of the origin, so
        /// this session never held it and must not tell a member it is gone (the origin, or whoever held it, still may).
        /// </summary>
        public long Floor { get; }

        public SequenceSpace Received { get; }

        public MessageHistory History { get; } = new MessageHistory();

        /// <summary>
        /// When a message of this origin last came through another member (forwarded, duplicate or not), by this
        /// session's clock: a sign that the origin is still in the chat when its own link is lost.
        /// </summary>
        public DateTimeOffset LastHeardThroughOthers { get; set; }

        /// <summary>The received mark when the last heartbeat looked (none before the first): a mark that moved is told and pushed.</summary>
        public long MarkAtHeartbeat { get; set; } = long.MinValue;

        /// <summary>For a late joiner: the highest sequence replayed to it as history, so that replays are never delivered twice.</summary>
        public long Replayed { get; set; }
    }
}
