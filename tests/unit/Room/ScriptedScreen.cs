using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Host;
using System.Text.RegularExpressions;

namespace PSGroupChat.Tests.Room
{
    /// <summary>One call that wrote text: what, in which colours, and where the cursor was when it began.</summary>
    public sealed record ScreenWrite(string Text, ConsoleColor Foreground, ConsoleColor Background, Coordinates At);

    /// <summary>
    /// What a scripted host shows: a screen buffer that grows downward (it never scrolls by itself), the cursor, and the
    /// record of every write with its colours and every cursor move. Writing a character in the last column wraps to the
    /// next row at once. East Asian wide characters and surrogate pairs (emoji) take two cells, as in a terminal.
    /// <see cref="Resize"/> does what tmux does to a resized pane: re-wraps rows wider than the new width and pulls
    /// scrolled-off rows back into view, so every row below moves down. Thread-safe: the room writes on the pipeline
    /// thread while the test reads.
    /// </summary>
    public sealed class ScriptedScreen
    {
        private const char WideTail = '\uFFFF'; // the second cell of a wide character
        private readonly object _gate = new object();
        private readonly List<char[]> _rows = new List<char[]>();
        private readonly List<ScreenWrite> _writes = new List<ScreenWrite>();
        private readonly List<Coordinates> _moves = new List<Coordinates>();
        private int _x;
        private int _y;

        public ScriptedScreen(int width) => Width = width;

        public int Width { get; private set; }

        /// <summary>The window's height; the window shows the last rows written.</summary>
        public int Height { get; } = 25;

        /// <summary>The first row the window shows: the window follows the cursor down.</summary>
        public int WindowTop
        {
            get { lock (_gate) return Math.Max(0, Math.Max(_rows.Count, _y + 1) - Height); }
        }

        /// <summary>Cells <paramref name="text"/> takes: two for wide characters, as the console host's string overload says.</summary>
        public static int Cells(string text)
        {
            int cells = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                else if (!IsWide(text[i])) { cells++; continue; }
                cells += 2;
            }
            return cells;
        }

        private static bool IsWide(char c) =>
            (c >= '\u1100' && c <= '\u115F') || (c >= '\u2E80' && c <= '\uA4CF') || (c >= '\uAC00' && c <= '\uD7A3')
            || (c >= '\uF900' && c <= '\uFAFF') || (c >= '\uFE30' && c <= '\uFE4F') || (c >= '\uFF00' && c <= '\uFF60') || (c >= '\uFFE0' && c <= '\uFFE6');

        /// <summary>
        /// Resizes as tmux does: rows wider than <paramref name="width"/> are wrapped onto new rows below them (the cursor
        /// moves with its cell), and <paramref name="pulledBack"/> rows that had scrolled off come back above, moving
        /// every row and the cursor down.
        /// </summary>
        public void Resize(int width, int pulledBack)
        {
            lock (_gate)
            {
                var rows = new List<char[]>();
                int cursorX = _x, cursorY = _y;
                for (int y = 0; y < Math.Max(_rows.Count, _y + 1); y++)
                {
                    var cells = y < _rows.Count ? new string(_rows[y]).TrimEnd(' ', '\0') : string.Empty;
                    if (y == _y) cells = cells.PadRight(_x);
                    int pieces = Math.Max(1, (cells.Length + width - 1) / width);
                    if (y == _y)
                    {
                        cursorY = rows.Count + pulledBack + Math.Min(_x / width, pieces - 1);
                        cursorX = _x >= width ? _x % width : _x;
                    }
                    for (int p = 0; p < pieces; p++)
                    {
                        var row = new string(' ', width).ToCharArray();
                        var piece = cells.Substring(Math.Min(cells.Length, p * width), Math.Max(0, Math.Min(width, cells.Length - p * width)));
                        piece.CopyTo(0, row, 0, piece.Length);
                        rows.Add(row);
                    }
                }
                _rows.Clear();
                for (int i = 0; i < pulledBack; i++) _rows.Add(new string(' ', width).ToCharArray());
                _rows.AddRange(rows);
                Width = width;
                _x = Math.Min(cursorX, width - 1);
                _y = cursorY;
            }
        }

        public ConsoleColor Foreground { get; set; } = ConsoleColor.Gray;

        public ConsoleColor Background { get; set; } = ConsoleColor.Black;

        public Coordinates Cursor
        {
            get { lock (_gate) return new Coordinates(_x, _y); }
            set
            {
                if (value.X < 0 || value.X >= Width || value.Y < 0) throw new ArgumentOutOfRangeException(nameof(value), $"cursor moved off the buffer: {value}");
                lock (_gate)
                {
                    _x = value.X;
                    _y = value.Y;
                    _moves.Add(value);
                }
            }
        }

        public void Write(string text, ConsoleColor foreground, ConsoleColor background)
        {
            lock (_gate)
            {
                _writes.Add(new ScreenWrite(text, foreground, background, new Coordinates(_x, _y)));
                foreach (char c in text)
                {
                    if (c == '\n')
                    {
                        _x = 0;
                        _y++;
                        continue;
                    }
                    if (c == '\r')
                    {
                        _x = 0;
                        continue;
                    }
                    if (char.IsControl(c)) throw new InvalidOperationException($"control character U+{(int)c:X4} written to the screen");
                    if (char.IsLowSurrogate(c))
                    {
                        Advance(c); // the second cell of the pair its high surrogate began
                        continue;
                    }
                    bool wide = IsWide(c) || char.IsHighSurrogate(c);
                    if (wide && _x == Width - 1) Advance(' '); // a wide character never straddles two rows
                    Advance(c);
                    if (IsWide(c)) Advance(WideTail);
                }
            }
        }

        private void Advance(char c)
        {
            Row(_y)[_x] = c;
            if (++_x == Width)
            {
                _x = 0;
                _y++;
            }
        }

        /// <summary>The text of row <paramref name="y"/>, without trailing blanks.</summary>
        public string RowText(int y)
        {
            lock (_gate) return y < _rows.Count ? new string(_rows[y]).Replace(WideTail.ToString(), string.Empty).TrimEnd(' ', '\0') : string.Empty;
        }

        /// <summary>The text of the row the cursor is on.</summary>
        public string CursorRowText
        {
            get { lock (_gate) return RowText(_y); }
        }

        /// <summary>Every row, top to bottom.</summary>
        public IReadOnlyList<string> Rows()
        {
            lock (_gate) return Enumerable.Range(0, Math.Max(_rows.Count, _y + 1)).Select(RowText).ToList();
        }

        /// <summary>The index of the first row matching <paramref name="pattern"/>, or -1.</summary>
        public int FindRow(string pattern)
        {
            var regex = new Regex(pattern);
            var rows = Rows();
            for (int i = 0; i < rows.Count; i++)
            {
                if (regex.IsMatch(rows[i])) return i;
            }
            return -1;
        }

        public bool HasRow(string pattern) => FindRow(pattern) >= 0;

        /// <summary>Every write so far.</summary>
        public IReadOnlyList<ScreenWrite> Writes
        {
            get { lock (_gate) return _writes.ToList(); }
        }

        /// <summary>Every cursor move so far.</summary>
        public IReadOnlyList<Coordinates> Moves
        {
            get { lock (_gate) return _moves.ToList(); }
        }

        /// <summary>The foreground colour of the first write whose text contains <paramref name="text"/>.</summary>
        public ConsoleColor ColourOf(string text)
        {
            var write = Writes.FirstOrDefault(w => w.Text.Contains(text, StringComparison.Ordinal));
            if (write == null) throw new InvalidOperationException($"nothing containing '{text}' was written:\n{this}");
            return write.Foreground;
        }

        /// <summary>The screen as text, for assertion messages.</summary>
        public override string ToString() => string.Join("\n", Rows().Select((r, i) => $"{i,3}|{r}")) + $"\n(cursor at {Cursor})";

        private char[] Row(int y)
        {
            while (_rows.Count <= y) _rows.Add(new string(' ', Width).ToCharArray());
            return _rows[y];
        }
    }
}
