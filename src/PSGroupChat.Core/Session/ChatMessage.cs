using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace PSGroupChat
{
    /// <summary>
    /// A message or notice as it reaches the pipeline: who sent it, what it says, and when it was sent and received.
    /// </summary>
    public sealed class ChatMessage
    {
        private static readonly RecipientList NoRecipients = new RecipientList(Array.Empty<string>());
        // One of these is made per delivery at every receiver, so the instance is kept small: the three names are one
        // shared reference, what only direct messages and notices carry (and the id, once read) lives in a side object,
        // times are UTC ticks, and the kind is a byte.
        private readonly byte _kind;
        private readonly MessageParties _parties;
        private Particulars? _particulars;
        private long _sentAtTicks;
        private long _receivedAtTicks;

        internal ChatMessage(ChatMessageKind kind, MessageParties parties, string text)
        {
            _kind = (byte)kind;
            _parties = parties;
            Text = text;
        }

        internal ChatMessage(ChatMessageKind kind, string sessionUser, string sender, string senderId, string text)
            : this(kind, new MessageParties(sessionUser, sender, senderId), text)
        {
        }

        /// <summary>Message, Joined, Left or Missed.</summary>
        public ChatMessageKind Kind => (ChatMessageKind)_kind;

        /// <summary>The user name of the session that holds this message.</summary>
        public string SessionUser => _parties.SessionUser;

        /// <summary>The user name of the member who sent the message, or whom the notice is about.</summary>
        public string Sender => _parties.Sender;

        /// <summary>The sender's peer id: random per started session, so a restarted peer has a new one.</summary>
        public string SenderId => _parties.SenderId;

        /// <summary>The text; for a Left notice, the reason the member gave, if any.</summary>
        public string Text { get; }

        /// <summary>
        /// The message id, unique across the chat: the sender's peer id and sequence, <c>&lt;sender id&gt;:&lt;sequence&gt;</c>
        /// (a direct message: <c>&lt;sender id&gt;&gt;&lt;recipient id&gt;:&lt;sequence&gt;</c>, its own sequence space); empty for notices.
        /// </summary>
        /// <remarks>Made when first read: most messages are never asked for it, and it was a third of what a delivery allocated.</remarks>
        public string Id
        {
            get
            {
                if (_particulars?.Id is string id) return id;
                if (Kind != ChatMessageKind.Message || Sequence <= 0) return string.Empty;
                return Particular.Id = Protocol.MessageIds.Format(SenderId, Sequence);
            }
            internal set => Particular.Id = value;
        }

        /// <summary>
        /// The sender's sequence number: 1 for its first message, rising by one per message it sends to everyone; direct
        /// messages count their own sequence per recipient.
        /// </summary>
        public long Sequence { get; internal set; }

        /// <summary>When the sender sent it (the sender's clock), or when the notice was raised; in UTC.</summary>
        public DateTimeOffset SentAt
        {
            get => new DateTimeOffset(_sentAtTicks, TimeSpan.Zero);
            internal set => _sentAtTicks = value.UtcTicks;
        }

        /// <summary>When this session received it; in UTC.</summary>
        public DateTimeOffset ReceivedAt
        {
            get => new DateTimeOffset(_receivedAtTicks, TimeSpan.Zero);
            internal set => _receivedAtTicks = value.UtcTicks;
        }

        /// <summary>When this session received it, in this computer's time zone: the table's Time column.</summary>
        public DateTime Time => ReceivedAt.LocalDateTime;

        /// <summary>
        /// The members a direct message was addressed to; empty for a message to everyone. As text (Export-Csv,
        /// string expansion) it reads "ann, ben".
        /// </summary>
        public IReadOnlyList<string> Recipients
        {
            get => _particulars?.Recipients ?? NoRecipients;
            internal set
            {
                if (value != null && value.Count > 0) Particular.Recipients = new RecipientList(value);
                else if (_particulars != null) _particulars.Recipients = null;
            }
        }

        /// <summary>True for a direct message (sent to named members only).</summary>
        public bool IsDirect => _particulars?.Recipients != null;

        /// <summary>True for an action (<c>/me waves</c>), shown as "* sender waves".</summary>
        public bool IsAction { get; internal set; }

        /// <summary>True when this session sent the message itself.</summary>
        public bool IsOwn { get; internal set; }

        /// <summary>True for a message replayed from the members' history to a late joiner (<c>Start-ChatPeer -History</c>).</summary>
        public bool IsHistory { get; internal set; }

        /// <summary>For a Missed notice: how many messages of the sender never arrived.</summary>
        public long MissedCount
        {
            get => _particulars?.MissedCount ?? 0;
            internal set
            {
                if (value != 0 || _particulars != null) Particular.MissedCount = value;
            }
        }

        /// <summary>For a Missed notice: the first sequence of the run given up.</summary>
        public long MissedFrom
        {
            get => _particulars?.MissedFrom ?? 0;
            internal set
            {
                if (value != 0 || _particulars != null) Particular.MissedFrom = value;
            }
        }

        /// <summary>For a Missed notice: the last sequence of the run given up.</summary>
        public long MissedTo
        {
            get => _particulars?.MissedTo ?? 0;
            internal set
            {
                if (value != 0 || _particulars != null) Particular.MissedTo = value;
            }
        }

        /// <summary>For a Left notice: <c>graceful</c>, <c>connection lost</c>, <c>timeout</c> or <c>name conflict</c>.</summary>
        public string? Reason
        {
            get => _particulars?.Reason;
            internal set
            {
                if (value != null || _particulars != null) Particular.Reason = value;
            }
        }

        /// <summary>For a Joined notice: the fingerprint of the key the member presented (<c>SHA256:…</c>); null in plaintext.</summary>
        public string? Fingerprint
        {
            get => _particulars?.Fingerprint;
            internal set
            {
                if (value != null || _particulars != null) Particular.Fingerprint = value;
            }
        }

        /// <inheritdoc />
        public override string ToString() => Kind switch
        {
            ChatMessageKind.Joined => Fingerprint == null ? $"{Sender} joined" : $"{Sender} joined ({Fingerprint})",
            ChatMessageKind.Left => $"{Sender} left ({Reason})",
            ChatMessageKind.Missed => $"{MissedCount} message(s) of {Sender} missed",
            _ => IsAction ? $"* {Sender} {Text}" : $"{Sender}: {Text}",
        };

        private Particulars Particular => _particulars ??= new Particulars();

        /// <summary>
        /// What only a direct message or a notice carries, and a message's id once read: apart, so that every chat message
        /// is the smaller for it.
        /// </summary>
        private sealed class Particulars
        {
            public RecipientList? Recipients;
            public long MissedCount, MissedFrom, MissedTo;
            public string? Reason, Fingerprint, Id;
        }

        /// <summary>Recipients that read as "ann, ben" where a tool turns them into text, instead of a type name.</summary>
        private sealed class RecipientList : ReadOnlyCollection<string>
        {
            public RecipientList(IEnumerable<string> names) : base(new List<string>(names)) { }

            public override string ToString() => string.Join(", ", this);
        }
    }
}
