namespace PSGroupChat.Room
{
    /// <summary>One screen line of the chat room: its text, free of control characters, and what kind of line it is.</summary>
    internal readonly struct RoomLine
    {
        /// <summary>Creates a line.</summary>
        public RoomLine(RoomLineKind kind, string text)
        {
            Kind = kind;
            Text = text;
        }

        /// <summary>What the line is.</summary>
        public RoomLineKind Kind { get; }

        /// <summary>The text, with no control characters (see <see cref="RoomLineFormatter"/>).</summary>
        public string Text { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Kind}: {Text}";
    }
}
