namespace PSGroupChat.Room
{
    /// <summary>What one key did to the line being typed in the chat room.</summary>
    internal enum RoomKeyResult
    {
        /// <summary>Nothing changed (a key the room does not use, or a move that could not go further).</summary>
        Unchanged,

        /// <summary>The text or the caret changed: the input line needs drawing again.</summary>
        Edited,

        /// <summary>Enter: the line was handed over and the input is empty again.</summary>
        Submitted,

        /// <summary>Ctrl+C: the user wants to leave the room.</summary>
        Interrupted,

        /// <summary>Ctrl+D on an empty line: the user leaves the room, as with /quit.</summary>
        LeaveAsked,

        /// <summary>Tab: complete the word before the caret (a command or a member name).</summary>
        CompletionAsked,

        /// <summary>Ctrl+L: clear the window and draw the input line again at its top.</summary>
        RedrawAsked,
    }
}
