using System;

namespace PSGroupChat.Room
{
    /// <summary>
    /// Reads a line typed in the chat room: plain text is a message to everyone; a line starting with <c>/</c> is a
    /// command (<c>/who</c>, <c>/msg</c>, <c>/me</c>, <c>/quit</c>, <c>/help</c>); <c>//</c> sends a line that starts
    /// with <c>/</c>. Command names are case-insensitive, as chat users expect.
    /// </summary>
    internal static class RoomInputParser
    {
        /// <summary>The usage of every command, one per line, for /help and for the errors of a misused command.</summary>
        public static readonly string[] Usage =
        {
            "/who                 lists the members of the chat",
            "/msg <name> <text>   sends <text> to <name> only",
            "/me <action>         sends an action, shown as \"* you <action>\"",
            "/quit                leaves the room (Ctrl+C does too)",
            "/help                shows this list",
            "//text               sends a message that starts with /",
        };

        /// <summary>Parses one typed line. Never throws: a line it cannot use comes back as <see cref="RoomInputKind.Invalid"/>.</summary>
        public static RoomInput Parse(string? line)
        {
            if (line == null || line.Trim().Length == 0) return new RoomInput(RoomInputKind.Nothing);
            if (line.StartsWith("//", StringComparison.Ordinal)) return new RoomInput(RoomInputKind.Say, line.Substring(1));
            if (line[0] != '/') return new RoomInput(RoomInputKind.Say, line);

            var (command, rest) = SplitWord(line.Substring(1));
            switch (command.ToLowerInvariant())
            {
                case "who":
                    return new RoomInput(RoomInputKind.Who);
                case "help":
                    return new RoomInput(RoomInputKind.Help);
                case "quit":
                    return new RoomInput(RoomInputKind.Quit);
                case "me":
                    return rest.Length == 0
                        ? new RoomInput(RoomInputKind.Invalid, "/me needs an action, e.g. /me waves")
                        : new RoomInput(RoomInputKind.Action, rest);
                case "msg":
                    var (name, text) = SplitWord(rest);
                    if (name.Length == 0) return new RoomInput(RoomInputKind.Invalid, "/msg needs a member and a text, e.g. /msg bob hello; /who lists the members");
                    if (text.Length == 0) return new RoomInput(RoomInputKind.Invalid, $"/msg needs a text after the name, e.g. /msg {name} hello");
                    return new RoomInput(RoomInputKind.Direct, text, name);
                default:
                    return new RoomInput(RoomInputKind.Invalid,
                        $"There is no command '/{command}'. /help lists the commands; start a line with // to send text that begins with /.");
            }
        }

        /// <summary>The first word of <paramref name="text"/> and what follows it, without the white space between them.</summary>
        private static (string Word, string Remainder) SplitWord(string text)
        {
            text = text.TrimStart();
            int end = 0;
            while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
            return (text.Substring(0, end), text.Substring(end).TrimStart());
        }
    }
}
