namespace PSGroupChat.Discovery
{
    /// <summary>The rule for room names: what <c>-Room</c> accepts, checked before anything is announced.</summary>
    public static class RoomName
    {
        /// <summary>The longest room name, in characters.</summary>
        public const int MaxLength = 40;

        /// <summary>Returns why a room name is not allowed, or null when it is.</summary>
        public static string? Problem(string? room) => ChatLimits.NameProblem("room name", room, MaxLength, "'lobby' or 'team-a'");

        internal static void Check(string room)
        {
            var problem = Problem(room);
            if (problem != null) throw new ChatException(ChatErrorCode.InvalidArgument, problem, room);
        }
    }
}
