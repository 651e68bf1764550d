namespace PSGroupChat
{
    /// <summary>What an entry of the inbox is: a chat message, or a notice that a member joined or left, or that messages were missed.</summary>
    /// <remarks>
    /// Based on <see cref="long"/> so that PowerShell's ConvertTo-Json writes the name ("Left") rather than a number: it
    /// writes 64-bit enums by name, since JavaScript numbers cannot hold them (and it offers no attribute to ask for it).
    /// </remarks>
    public enum ChatMessageKind : long
    {
        /// <summary>A chat message from a member (broadcast or direct).</summary>
        Message,

        /// <summary>A notice: a member joined the chat.</summary>
        Joined,

        /// <summary>A notice: a member left the chat; <see cref="ChatMessage.Reason"/> says how.</summary>
        Left,

        /// <summary>
        /// A notice: messages of <see cref="ChatMessage.Sender"/> that no member's history holds any more never reached
        /// this session; <see cref="ChatMessage.MissedCount"/> says how many (sequences <see cref="ChatMessage.MissedFrom"/>
        /// to <see cref="ChatMessage.MissedTo"/>). The only way a message is missed, and never silently.
        /// </summary>
        Missed,
    }
}
