namespace PSGroupChat.Room
{
    /// <summary>Why the user is out of the chat room.</summary>
    internal enum RoomExit
    {
        /// <summary>The user typed /quit.</summary>
        Quit,

        /// <summary>The user pressed Ctrl+C (read as a key, or through the pipeline being stopped).</summary>
        Interrupted,

        /// <summary>The session stopped under the room (Stop-ChatPeer elsewhere, or the chat expelled it).</summary>
        SessionStopped,
    }
}
