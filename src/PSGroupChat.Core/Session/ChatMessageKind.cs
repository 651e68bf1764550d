namespace PSGroupChat
{
    /// <summary>What an entry of the inbox is: a chat message, or a notice that a member joined or left.</summary>
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
    }
}
