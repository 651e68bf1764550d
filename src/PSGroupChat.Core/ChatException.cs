using System;

namespace PSGroupChat
{
    /// <summary>An operation on a chat session failed for a reason the caller can act on.</summary>
    public sealed class ChatException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public ChatException(ChatErrorCode code, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            Code = code;
            Target = target;
        }

        /// <summary>What went wrong, as a stable code.</summary>
        public ChatErrorCode Code { get; }

        /// <summary>The endpoint, user name or session the failure concerns.</summary>
        public object? Target { get; }
    }
}
