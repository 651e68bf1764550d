namespace PSGroupChat
{
    /// <summary>The life of a session.</summary>
    public enum ChatSessionState
    {
        /// <summary>Listening and linked to its members.</summary>
        Running,

        /// <summary>Sending its leave notice and closing its links.</summary>
        Stopping,

        /// <summary>Closed: the port is free and nothing more arrives.</summary>
        Stopped,
    }
}
