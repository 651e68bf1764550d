namespace PSGroupChat.Transport
{
    /// <summary>How a link ended, as far as the link itself can tell.</summary>
    internal enum LinkCloseKind
    {
        /// <summary>The stream ended or failed without this side asking: a crash, a reset, an end of stream.</summary>
        Lost,

        /// <summary>The other side broke the protocol (a bad frame, or one its handler could not take).</summary>
        ProtocolViolation,

        /// <summary>The other side read too slowly and its send queue reached its bound.</summary>
        SlowConsumer,

        /// <summary>This side closed the link; the detail says why.</summary>
        Closed,
    }

    /// <summary>Why a link closed: a kind to decide on, and a detail to log and show.</summary>
    internal sealed record LinkClosure(LinkCloseKind Kind, string Detail)
    {
        public static readonly LinkClosure Lost = new LinkClosure(LinkCloseKind.Lost, "connection lost");

        public static LinkClosure ByUs(string detail) => new LinkClosure(LinkCloseKind.Closed, detail);

        /// <summary>The text the log shows, e.g. "protocol violation: frame length 9 exceeds the limit".</summary>
        public override string ToString() => Kind switch
        {
            LinkCloseKind.ProtocolViolation => "protocol violation: " + Detail,
            LinkCloseKind.SlowConsumer => "slow consumer: " + Detail,
            _ => Detail,
        };
    }
}
