using System;

namespace PSGroupChat
{
    /// <summary>The limits on user names and message text, shared by the cmdlets' validation and the wire decoder.</summary>
    public static class ChatLimits
    {
        /// <summary>The longest user name, in characters.</summary>
        public const int MaxUserNameLength = 32;

        /// <summary>The longest message text, in characters.</summary>
        public const int MaxMessageLength = 16_384;

        /// <summary>Returns why a user name is not allowed, or null when it is.</summary>
        public static string? UserNameProblem(string? userName) => NameProblem("user name", userName, MaxUserNameLength, "'alice' or 'alice_smith'");

        /// <summary>
        /// The one rule for names people type and others see (user names, room names): not empty, not too long, and no
        /// white space or control character, which would break a command line or reach a console.
        /// </summary>
        internal static string? NameProblem(string what, string? name, int maxLength, string examples)
        {
            if (string.IsNullOrEmpty(name)) return $"The {what} must not be empty.";
            if (name!.Length > maxLength) return $"The {what} is {name.Length} characters long; at most {maxLength} are allowed.";
            foreach (char c in name)
            {
                if (char.IsControl(c)) return $"The {what} contains the control character U+{(int)c:X4}.";
                if (char.IsWhiteSpace(c)) return $"The {what} contains white space; use a name such as {examples}.";
            }
            return null;
        }

        /// <summary>Returns why a message text is not allowed, or null when it is.</summary>
        public static string? MessageProblem(string? text)
        {
            if (string.IsNullOrEmpty(text)) return "The message must not be empty.";
            if (text!.Length > MaxMessageLength) return $"The message is {text.Length} characters long; at most {MaxMessageLength} are allowed.";
            return null;
        }

        internal static void CheckUserName(string userName)
        {
            var problem = UserNameProblem(userName);
            if (problem != null) throw new ChatException(ChatErrorCode.InvalidArgument, problem, userName);
        }

        internal static void CheckMessage(string text)
        {
            var problem = MessageProblem(text);
            if (problem != null) throw new ChatException(ChatErrorCode.InvalidArgument, problem, text);
        }

        /// <summary>The longest peer id a hello or a member list may carry.</summary>
        internal const int MaxPeerIdLength = 64;

        /// <summary>Whether a peer id from the wire is one a peer could have: 1 to <see cref="MaxPeerIdLength"/> characters.</summary>
        internal static bool IsPeerId(string peerId) => peerId.Length > 0 && peerId.Length <= MaxPeerIdLength;

        internal static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }
}
