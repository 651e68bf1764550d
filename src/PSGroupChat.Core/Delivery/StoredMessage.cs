using System;

namespace PSGroupChat.Delivery
{
    /// <summary>A delivered message kept in history, to send to a member that lacks it. <see cref="StoredAt"/> is this session's clock.</summary>
    internal sealed record StoredMessage(long Sequence, long SentAtUnixMs, string Text, bool Action, string[]? To, DateTimeOffset StoredAt);
}
