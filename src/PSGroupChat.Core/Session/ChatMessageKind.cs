namespace PSGroupChat
{
    /// <summary>What an entry of the inbox is: a chat message, or a notice that a member joined or left.</summary>
    public enum ChatMessageKind
    {
        /// <summary>A chat message from a member (broadcast or direct).</summary>
        Message,

        /// <summary>A notice: a member joined the chat.</summary>
        Joined,

        /// <summary>A notice: a member left the chat; <see cref="ChatMessage.Reason"/> says how.</summary>
        Left,
    }
}
