namespace PSGroupChat.Room
{
    /// <summary>What a line typed in the chat room asks for.</summary>
    internal enum RoomInputKind
    {
        /// <summary>An empty or blank line: nothing to do.</summary>
        Nothing,

        /// <summary>A message to every member.</summary>
        Say,

        /// <summary><c>/me &lt;action&gt;</c>: an action, shown as "* alice waves".</summary>
        Action,

        /// <summary><c>/msg &lt;name&gt; &lt;text&gt;</c>: a direct message to one member.</summary>
        Direct,

        /// <summary><c>/who</c>: list the members.</summary>
        Who,

        /// <summary><c>/help</c>: list the commands.</summary>
        Help,

        /// <summary><c>/quit</c>: leave the room.</summary>
        Quit,

        /// <summary>A command the room does not know, or one used wrongly; the text says what is wrong.</summary>
        Invalid,
    }
}
