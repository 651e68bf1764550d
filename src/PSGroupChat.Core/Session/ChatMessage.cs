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
        private RecipientList _recipients;
        private string? _id;

        internal ChatMessage(ChatMessageKind kind, string sessionUser, string sender, string senderId, string text)
        {
            Kind = kind;
            SessionUser = sessionUser;
            Sender = sender;
            SenderId = senderId;
            Text = text;
            _recipients = NoRecipients;
        }

        /// <summary>Message, Joined, Left or Missed.</summary>
        public ChatMessageKind Kind { get; }

        /// <summary>The user name of the session that holds this message.</summary>
        public string SessionUser { get; }

        /// <summary>The user name of the member who sent the message, or whom the notice is about.</summary>
        public string Sender { get; }

        /// <summary>The sender's peer id: random per started session, so a restarted peer has a new one.</summary>
        public string SenderId { get; }

        /// <summary>The text; for a Left notice, the reason the member gave, if any.</summary>
        public string Text { get; }

        /// <summary>
        /// The message id, unique across the chat: the sender's peer id and sequence, <c>&lt;sender id&gt;:&lt;sequence&gt;</c>
        /// (a direct message: <c>&lt;sender id&gt;&gt;&lt;recipient id&gt;:&lt;sequence&gt;</c>, its own sequence space); empty for notices.
        /// </summary>
        /// <remarks>Made when first read: most messages are never asked for it, and it was a third of what a delivery allocated.</remarks>
        public string Id
        {
            get => _id ??= Kind == ChatMessageKind.Message && Sequence > 0 ? Protocol.MessageIds.Format(SenderId, Sequence) : string.Empty;
            internal set => _id = value;
        }

        /// <summary>
        /// The sender's sequence number: 1 for its first message, rising by one per message it sends to everyone; direct
        /// messages count their own sequence per recipient.
        /// </summary>
        public long Sequence { get; internal set; }

        /// <summary>When the sender sent it (the sender's clock), or when the notice was raised.</summary>
        public DateTimeOffset SentAt { get; internal set; }

        /// <summary>When this session received it.</summary>
        public DateTimeOffset ReceivedAt { get; internal set; }

        /// <summary>When this session received it, in this computer's time zone: the table's Time column.</summary>
        public DateTime Time => ReceivedAt.LocalDateTime;

        /// <summary>
        /// The members a direct message was addressed to; empty for a message to everyone. As text (Export-Csv,
        /// string expansion) it reads "ann, ben".
        /// </summary>
        public IReadOnlyList<string> Recipients
        {
            get => _recipients;
            internal set => _recipients = value == null || value.Count == 0 ? NoRecipients : new RecipientList(value);
        }

        /// <summary>True for a direct message (sent to named members only).</summary>
        public bool IsDirect => Recipients.Count > 0;

        /// <summary>True for an action (<c>/me waves</c>), shown as "* sender waves".</summary>
        public bool IsAction { get; internal set; }

        /// <summary>True when this session sent the message itself.</summary>
        public bool IsOwn { get; internal set; }

        /// <summary>True for a message replayed from the members' history to a late joiner (<c>Start-ChatPeer -History</c>).</summary>
        public bool IsHistory { get; internal set; }

        /// <summary>For a Missed notice: how many messages of the sender never arrived.</summary>
        public long MissedCount { get; internal set; }

        /// <summary>For a Missed notice: the first sequence of the run given up.</summary>
        public long MissedFrom { get; internal set; }

        /// <summary>For a Missed notice: the last sequence of the run given up.</summary>
        public long MissedTo { get; internal set; }

        /// <summary>For a Left notice: <c>graceful</c>, <c>connection lost</c>, <c>timeout</c> or <c>name conflict</c>.</summary>
        public string? Reason { get; internal set; }

        /// <summary>For a Joined notice: the fingerprint of the key the member presented (<c>SHA256:…</c>); null in plaintext.</summary>
        public string? Fingerprint { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => Kind switch
        {
            ChatMessageKind.Joined => Fingerprint == null ? $"{Sender} joined" : $"{Sender} joined ({Fingerprint})",
            ChatMessageKind.Left => $"{Sender} left ({Reason})",
            ChatMessageKind.Missed => $"{MissedCount} message(s) of {Sender} missed",
            _ => IsAction ? $"* {Sender} {Text}" : $"{Sender}: {Text}",
        };

        /// <summary>Recipients that read as "ann, ben" where a tool turns them into text, instead of a type name.</summary>
        private sealed class RecipientList : ReadOnlyCollection<string>
        {
            public RecipientList(IEnumerable<string> names) : base(new List<string>(names)) { }

            public override string ToString() => string.Join(", ", this);
        }
    }
}
