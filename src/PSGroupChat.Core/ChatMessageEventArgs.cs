using System;

namespace PSGroupChat
{
    /// <summary>
    /// The argument of <see cref="ChatSession.MessageReceived"/>, <see cref="ChatSession.PeerJoined"/> and
    /// <see cref="ChatSession.PeerLeft"/>: the message or notice, exactly as Receive-ChatMessage would return it.
    /// </summary>
    public sealed class ChatMessageEventArgs : EventArgs
    {
        internal ChatMessageEventArgs(ChatMessage message) => Message = message;

        /// <summary>The message or notice.</summary>
        public ChatMessage Message { get; }
    }
}
