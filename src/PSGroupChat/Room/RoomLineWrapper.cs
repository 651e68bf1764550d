using System;
using System.Collections.Generic;

namespace PSGroupChat.Room
{
    /// <summary>
    /// Breaks a transcript line into screen rows: at spaces where it can, mid-word only for a word wider than a row,
    /// with every row after the first indented under the text (past the line's head of time and sender). Widths are
    /// counted in buffer cells, as the host measures them, so East Asian wide characters and emoji count twice. No row
    /// reaches the last column, where terminals differ on when they wrap.
    /// </summary>
    internal static class RoomLineWrapper
    {
        /// <summary>The rows of <paramref name="line"/> on a screen <paramref name="width"/> cells wide.</summary>
        /// <param name="line">The line; its <see cref="RoomLine.Indent"/> is how many characters its head has.</param>
        /// <param name="width">The screen width in cells.</param>
        /// <param name="cells">How many cells a string takes (the host's LengthInBufferCells(string)).</param>
        public static IReadOnlyList<string> Wrap(RoomLine line, int width, Func<string, int> cells)
        {
            var text = line.Text;
            int limit = Math.Max(2, width - 1);
            if (cells(text) <= limit) return new[] { text };

            // A head wider than half the row would leave too little room for the text under it.
            int head = Math.Min(Math.Max(0, line.Indent), text.Length);
            var pad = new string(' ', Math.Min(cells(text.Substring(0, head)), limit / 2));
            int leading = 0;
            while (leading < text.Length && text[leading] == ' ') leading++;

            var rows = new List<string>();
            int start = 0;
            int firstBreak = Math.Max(head, leading + 1); // the first row breaks only inside the text, not in its head
            while (start < text.Length)
            {
                var prefix = rows.Count == 0 ? string.Empty : pad;
                int room = limit - prefix.Length;
                int end = start, used = 0, lastSpace = -1;
                while (end < text.Length)
                {
                    int step = Step(text, end);
                    int taken = cells(text.Substring(end, step));
                    if (used + taken > room) break;
                    if (text[end] == ' ' && end >= (rows.Count == 0 ? firstBreak : start + 1)) lastSpace = end;
                    used += taken;
                    end += step;
                }
                if (end == start) end += Step(text, end); // a row narrower than one character still shows it
                if (end < text.Length && text[end] != ' ' && lastSpace > start) end = lastSpace;
                rows.Add(prefix + text.Substring(start, end - start).TrimEnd(' '));
                start = end;
                while (start < text.Length && text[start] == ' ') start++;
            }
            return rows;
        }

        /// <summary>1, or 2 for a surrogate pair, which is never split.</summary>
        private static int Step(string text, int at) => at + 1 < text.Length && char.IsSurrogatePair(text[at], text[at + 1]) ? 2 : 1;
    }
}
