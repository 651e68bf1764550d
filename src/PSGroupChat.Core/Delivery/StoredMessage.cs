using System;
using System.Collections.Generic;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// A delivered message kept in history, to send to a member that lacks it: the very message the inbox got, under its
    /// sequence in the history's space (a direct message has one per recipient). <see cref="StoredAt"/> is this session's
    /// clock: when the message was received, or sent.
    /// </summary>
    internal readonly struct StoredMessage
    {
        public StoredMessage(long sequence, ChatMessage message)
        {
            Sequence = sequence;
            Message = message;
        }

        public long Sequence { get; }

        public ChatMessage Message { get; }

        public long SentAtUnixMs => Message.SentAt.ToUnixTimeMilliseconds();

        public string Text => Message.Text;

        public bool Action => Message.IsAction;

        /// <summary>A direct message's recipients; empty for a broadcast.</summary>
        public IReadOnlyList<string> To => Message.Recipients;

        public DateTimeOffset StoredAt => Message.ReceivedAt;
    }
}
