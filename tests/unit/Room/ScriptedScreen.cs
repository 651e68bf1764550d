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
    /// What a scripted host shows: a screen buffer of fixed width that grows downward (it never scrolls, so row numbers
    /// stay put), the cursor, and the record of every write with its colours and every cursor move. Writing a character
    /// in the last column wraps to the next row at once. Thread-safe: the room writes on the pipeline thread while the
    /// test reads.
    /// </summary>
    public sealed class ScriptedScreen
    {
        private readonly object _gate = new object();
        private readonly List<char[]> _rows = new List<char[]>();
        private readonly List<ScreenWrite> _writes = new List<ScreenWrite>();
        private readonly List<Coordinates> _moves = new List<Coordinates>();
        private int _x;
        private int _y;

        public ScriptedScreen(int width) => Width = width;

        public int Width { get; }

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
                    Row(_y)[_x] = c;
                    if (++_x == Width)
                    {
                        _x = 0;
                        _y++;
                    }
                }
            }
        }

        /// <summary>The text of row <paramref name="y"/>, without trailing blanks.</summary>
        public string RowText(int y)
        {
            lock (_gate) return y < _rows.Count ? new string(_rows[y]).TrimEnd(' ', '\0') : string.Empty;
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
