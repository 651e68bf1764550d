using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Host;
using PSGroupChat.Display;

namespace PSGroupChat.Room
{
    /// <summary>
    /// Draws the chat room through the host interface only ($Host.UI.Write, $Host.UI.RawUI.CursorPosition, colours and
    /// sizes), so it works in any interactive host. The screen is the scrolling transcript with one input line under
    /// it: new lines overwrite the input line, and the input line is drawn again below them, so the text being typed
    /// stays intact. Transcript lines wrap at spaces, indented under their text. The input line never wraps: it shows a
    /// window of the text around the caret, one cell short of the width, so the cursor never reaches the last column.
    /// The cursor always rests on the input line, so the screen finds that line where the cursor is now, never at a
    /// remembered row. When the window changes size, the terminal has moved and re-wrapped rows in its own way, and
    /// may have done so while the room was drawing: the room then paints the whole window again from the lines it
    /// keeps, wrapped to the new width, with the input line under them and nothing stale below.
    /// </summary>
    internal sealed class RoomScreen
    {
        /// <summary>How many transcript lines are kept for painting the window again: more than any window is high.</summary>
        private const int KeptLines = 500;

        private readonly PSHostUserInterface _ui;
        private readonly PSHostRawUserInterface _raw;
        private readonly string _prompt;
        private readonly int _promptCells;
        private readonly Queue<RoomLine> _kept = new Queue<RoomLine>();
        private int _drawn;     // how many cells of its row the last drawing of the input line covered
        private Size _window;   // the window size the screen was last drawn for
        private int _scroll;    // the index of the first character of the text shown

        /// <summary>Starts the room on the line below whatever the host shows, with <paramref name="prompt"/> before the input.</summary>
        public RoomScreen(PSHostUserInterface ui, string prompt)
        {
            _ui = ui;
            _raw = ui.RawUI;
            _prompt = ConsoleText.Clean(prompt);
            _promptCells = Cells(_prompt);
            if (_raw.CursorPosition.X != 0) _ui.WriteLine();
            _window = _raw.WindowSize;
        }

        /// <summary>Writes <paramref name="lines"/> where the input line was, then draws the input line below them.</summary>
        public void Show(IReadOnlyList<RoomLine> lines, RoomLineEditor input)
        {
            if (lines.Count > 0) Interrupt(() => WriteLines(lines), input);
        }

        /// <summary>Lets <paramref name="write"/> write to the host in the input line's place, then draws the input line again.</summary>
        public void Interrupt(Action write, RoomLineEditor input)
        {
            FollowResize(input);
            ClearInput();
            write();
            if (_raw.CursorPosition.X != 0) _ui.WriteLine();
            Draw(input);
        }

        /// <summary>Paints the window again when it changed size since the last drawing; true when it did.</summary>
        public bool FollowResize(RoomLineEditor input)
        {
            if (_raw.WindowSize == _window) return false;
            Repaint(input);
            return true;
        }

        /// <summary>
        /// Paints the window from its top: the last kept lines that fit, wrapped to the current width, the input line
        /// under them, and blank rows below. Nothing depends on where the terminal left the cursor or the old rows.
        /// </summary>
        private void Repaint(RoomLineEditor input)
        {
            var window = _window = _raw.WindowSize;
            int top = _raw.WindowPosition.Y;
            int width = Width();
            var rows = new List<(ConsoleColor? Colour, string Text)>();
            foreach (var line in _kept.Reverse())
            {
                if (rows.Count >= window.Height - 1) break;
                var colour = ColourOf(line.Kind);
                rows.InsertRange(0, RoomLineWrapper.Wrap(line, width, Cells).Select(row => (colour, row)));
            }
            if (rows.Count > window.Height - 1) rows.RemoveRange(0, rows.Count - Math.Max(0, window.Height - 1));

            int y = top;
            foreach (var (colour, text) in rows)
            {
                _raw.CursorPosition = new Coordinates(0, y++);
                Write(colour, text);
                int rest = width - Cells(text); // to the last column: a row the terminal re-wrapped may fill it
                if (rest > 0) _ui.Write(new string(' ', rest));
            }
            for (int row = y; row < top + window.Height; row++)
            {
                _raw.CursorPosition = new Coordinates(0, row);
                _ui.Write(new string(' ', row == top + window.Height - 1 ? width - 1 : width)); // no wrap past the bottom
            }
            _raw.CursorPosition = new Coordinates(0, y);
            _drawn = 0;
            Draw(input);
        }

        /// <summary>Ctrl+L: blanks the window and draws the input line on its top row.</summary>
        public void Redraw(RoomLineEditor input)
        {
            ClearInput();
            var window = _raw.WindowSize;
            int top = _raw.WindowPosition.Y;
            var blank = new string(' ', Math.Max(1, window.Width - 1));
            for (int row = top; row < top + window.Height; row++)
            {
                _raw.CursorPosition = new Coordinates(0, row);
                _ui.Write(blank);
            }
            _raw.CursorPosition = new Coordinates(0, top);
            Draw(input);
        }

        /// <summary>Draws the prompt and the visible part of the text, and puts the cursor at the caret.</summary>
        public void Draw(RoomLineEditor input)
        {
            if (FollowResize(input)) return;
            int row = _raw.CursorPosition.Y;
            var text = input.Text;
            int caret = input.Caret;
            int room = Math.Max(2, Width() - 1 - _promptCells);

            // Scroll only as far as needed to keep the caret on screen, walking at most one screen width of text.
            if (caret < _scroll || _scroll > text.Length) _scroll = Math.Min(caret, text.Length);
            int start = caret, before = 0;
            while (start > _scroll)
            {
                int step = StepBack(text, start);
                int cells = Cells(text.Substring(start - step, step));
                if (before + cells >= room) break;
                before += cells;
                start -= step;
            }
            _scroll = start;

            int end = caret, shown = before;
            while (end < text.Length)
            {
                int step = Step(text, end);
                int cells = Cells(text.Substring(end, step));
                if (shown + cells >= room) break;
                shown += cells;
                end += step;
            }
            // After erasing near the end, bring hidden text back in from the left rather than leave the line half empty.
            while (_scroll > 0)
            {
                int step = StepBack(text, _scroll);
                int cells = Cells(text.Substring(_scroll - step, step));
                if (shown + cells >= room) break;
                shown += cells;
                before += cells;
                _scroll -= step;
            }

            int total = _promptCells + shown;
            var visible = _prompt + text.Substring(_scroll, end - _scroll);
            _raw.CursorPosition = new Coordinates(0, row);
            _ui.Write(total < _drawn ? visible + new string(' ', _drawn - total) : visible);
            _drawn = total;
            _raw.CursorPosition = new Coordinates(_promptCells + before, row);
        }

        /// <summary>Erases the input line and writes the farewell in its place; the cursor ends at the start of the next line.</summary>
        public void Close(IReadOnlyList<RoomLine> farewell, RoomLineEditor input)
        {
            FollowResize(input);
            ClearInput();
            WriteLines(farewell);
        }

        /// <summary>Writes each line in its kind's colour, wrapped to the width; the cursor ends at the start of the row after the last.</summary>
        private void WriteLines(IReadOnlyList<RoomLine> lines)
        {
            int width = Width();
            foreach (var line in lines)
            {
                var colour = ColourOf(line.Kind);
                foreach (var row in RoomLineWrapper.Wrap(line, width, Cells))
                {
                    Write(colour, row);
                    _ui.WriteLine();
                }
                _kept.Enqueue(line);
                if (_kept.Count > KeptLines) _kept.Dequeue();
            }
        }

        private void Write(ConsoleColor? colour, string text)
        {
            if (colour == null) _ui.Write(text);
            else _ui.Write(colour.Value, _raw.BackgroundColor, text);
        }

        /// <summary>Blanks what the input line covered and leaves the cursor at its start.</summary>
        private void ClearInput()
        {
            int row = _raw.CursorPosition.Y;
            _raw.CursorPosition = new Coordinates(0, row);
            if (_drawn > 0)
            {
                _ui.Write(new string(' ', Math.Min(_drawn, Width() - 1)));
                _raw.CursorPosition = new Coordinates(0, row);
            }
            _drawn = 0;
        }

        /// <summary>Messages from others keep the host's own colour; everything else is told apart by its colour.</summary>
        private static ConsoleColor? ColourOf(RoomLineKind kind) => kind switch
        {
            RoomLineKind.Own => ConsoleColor.DarkCyan,
            RoomLineKind.Direct => ConsoleColor.Magenta,
            RoomLineKind.Joined => ConsoleColor.Green,
            RoomLineKind.Left => ConsoleColor.Yellow,
            RoomLineKind.Info => ConsoleColor.Cyan,
            RoomLineKind.Problem => ConsoleColor.Red,
            _ => null,
        };

        private int Width()
        {
            int width = _raw.BufferSize.Width;
            return width >= 20 ? width : 80; // a host that does not know its width still gets a usable line
        }

        /// <summary>
        /// Cells a string takes. Always the string overload: on Linux the console host's LengthInBufferCells(char) says 1
        /// even for East Asian wide characters, and a surrogate pair is only measurable as a string.
        /// </summary>
        private int Cells(string text) => _raw.LengthInBufferCells(text);

        private static int StepBack(string text, int at) => at >= 2 && char.IsSurrogatePair(text[at - 2], text[at - 1]) ? 2 : 1;

        private static int Step(string text, int at) => at + 1 < text.Length && char.IsSurrogatePair(text[at], text[at + 1]) ? 2 : 1;
    }
}
