namespace PSGroupChat.Discovery
{
    /// <summary>The rule for room names: what <c>-Room</c> accepts, checked before anything is announced.</summary>
    public static class RoomName
    {
        /// <summary>The longest room name, in characters.</summary>
        public const int MaxLength = 40;

        /// <summary>Returns why a room name is not allowed, or null when it is.</summary>
        public static string? Problem(string? room)
        {
            if (string.IsNullOrEmpty(room)) return "The room name must not be empty.";
            if (room!.Length > MaxLength) return $"The room name is {room.Length} characters long; at most {MaxLength} are allowed.";
            foreach (char c in room)
            {
                if (char.IsControl(c)) return $"The room name contains the control character U+{(int)c:X4}.";
                if (char.IsWhiteSpace(c)) return "The room name contains white space; use a name such as 'lobby' or 'team-a'.";
            }
            return null;
        }

        internal static void Check(string room)
        {
            var problem = Problem(room);
            if (problem != null) throw new ChatException(ChatErrorCode.InvalidArgument, problem, room);
        }
    }
}
