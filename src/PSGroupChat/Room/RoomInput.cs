namespace PSGroupChat.Room
{
    /// <summary>A line typed in the chat room, as <see cref="RoomInputParser"/> understood it.</summary>
    /// <param name="Kind">What the line asks for.</param>
    /// <param name="Text">The message or action text to send; for <see cref="RoomInputKind.Invalid"/>, what is wrong and how to fix it.</param>
    /// <param name="Recipient">For <see cref="RoomInputKind.Direct"/>: the member the message is for.</param>
    internal sealed record RoomInput(RoomInputKind Kind, string Text = "", string? Recipient = null);
}
