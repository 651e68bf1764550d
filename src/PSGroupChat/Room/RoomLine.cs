namespace PSGroupChat.Room
{
    /// <summary>One line of the chat room's transcript, before the screen wraps it to its width.</summary>
    /// <param name="Kind">What the line is, which decides its colour.</param>
    /// <param name="Text">The text, with no control characters (see <see cref="RoomLineFormatter"/>).</param>
    /// <param name="Indent">
    /// How many characters at the start of <see cref="Text"/> are its head (time and sender): rows the screen wraps
    /// onto are indented by as many cells, so the text stands in one column under the head.
    /// </param>
    internal readonly record struct RoomLine(RoomLineKind Kind, string Text, int Indent = 0);
}
