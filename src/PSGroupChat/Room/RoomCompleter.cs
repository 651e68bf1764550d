using System;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Room
{
    /// <summary>
    /// Tab in the chat room: the first word of a line that starts with <c>/</c> completes to a command, any other word
    /// to a member name (the name after <c>/msg</c> above all). Case does not matter for the match, and the member's own
    /// spelling is what gets typed. One candidate is completed with a space after it; several are completed as far as
    /// they agree, and listed.
    /// </summary>
    internal static class RoomCompleter
    {
        /// <summary>The commands, as typed.</summary>
        public static readonly string[] Commands = { "/help", "/me", "/msg", "/quit", "/who" };

        /// <summary>The completion of the word before <paramref name="caret"/>, or null when no command or member fits it.</summary>
        public static RoomCompletion? Complete(string text, int caret, IEnumerable<string> members)
        {
            if (caret < 0 || caret > text.Length) return null;
            int start = caret;
            while (start > 0 && !char.IsWhiteSpace(text[start - 1])) start--;
            var word = text.Substring(start, caret - start);
            bool command = start == 0 && word.StartsWith("/", StringComparison.Ordinal) && !word.StartsWith("//", StringComparison.Ordinal);
            var matches = (command ? Commands : members)
                .Where(name => name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (matches.Count == 0) return null;

            if (matches.Count == 1)
            {
                // Past the space after the name, typed now or already there.
                bool spaceFollows = caret < text.Length && text[caret] == ' ';
                var line = text.Substring(0, start) + matches[0] + (spaceFollows ? string.Empty : " ") + text.Substring(caret);
                return new RoomCompletion(line, start + matches[0].Length + 1, Array.Empty<string>());
            }
            var shared = CommonPrefix(matches);
            if (shared.Length < word.Length) shared = word;
            return new RoomCompletion(text.Substring(0, start) + shared + text.Substring(caret), start + shared.Length, matches);
        }

        /// <summary>The longest start every name shares, ignoring case, spelled as the first name spells it.</summary>
        private static string CommonPrefix(IReadOnlyList<string> names)
        {
            int length = names[0].Length;
            foreach (var name in names)
            {
                int same = 0;
                while (same < length && same < name.Length && char.ToUpperInvariant(name[same]) == char.ToUpperInvariant(names[0][same])) same++;
                length = same;
            }
            return names[0].Substring(0, length);
        }
    }
}
