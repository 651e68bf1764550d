using System;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// A delivered message kept in history, to send to a member that lacks it: its encoded 'msg' frame, in an array
    /// rented from the pool (as long as it is kept), ready to copy onto a link. <see cref="StoredAt"/> is this session's clock.
    /// </summary>
    internal readonly record struct StoredMessage(long Sequence, long SentAtUnixMs, DateTimeOffset StoredAt, byte[] Frame);
}
