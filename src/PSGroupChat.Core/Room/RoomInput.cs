namespace PSGroupChat.Room
{
    /// <summary>A line typed in the chat room, as <see cref="RoomInputParser"/> understood it.</summary>
    internal sealed class RoomInput
    {
        private RoomInput(RoomInputKind kind, string text, string? recipient)
        {
            Kind = kind;
            Text = text;
            Recipient = recipient;
        }

        /// <summary>What the line asks for.</summary>
        public RoomInputKind Kind { get; }

        /// <summary>The message or action text to send; for <see cref="RoomInputKind.Invalid"/>, what is wrong and how to fix it.</summary>
        public string Text { get; }

        /// <summary>For <see cref="RoomInputKind.Direct"/>: the member the message is for.</summary>
        public string? Recipient { get; }

        internal static RoomInput Of(RoomInputKind kind, string text = "", string? recipient = null) => new RoomInput(kind, text, recipient);

        /// <inheritdoc />
        public override string ToString() => Recipient == null ? $"{Kind} '{Text}'" : $"{Kind} to {Recipient} '{Text}'";
    }
}
