namespace PSGroupChat.Room
{
    /// <summary>What a line shown in the chat room is, so that the screen can give each kind its own colour.</summary>
    internal enum RoomLineKind
    {
        /// <summary>A message from another member to everyone.</summary>
        Message,

        /// <summary>A message this session sent.</summary>
        Own,

        /// <summary>A direct message, received or sent.</summary>
        Direct,

        /// <summary>A notice: a member joined.</summary>
        Joined,

        /// <summary>A notice: a member left.</summary>
        Left,

        /// <summary>What the room itself says: the welcome, /who, /help, the farewell.</summary>
        Info,

        /// <summary>Something the user typed could not be done.</summary>
        Problem,
    }
}
