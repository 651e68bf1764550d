using System;
using System.Collections.Generic;
using System.Management.Automation.Host;

namespace PSGroupChat.Room
{
    /// <summary>
    /// Draws the chat room through the host interface only ($Host.UI.Write, $Host.UI.RawUI.CursorPosition, colours and
    /// sizes), so it works in any interactive host. The screen is the scrolling transcript with one input line under
    /// it: new lines overwrite the input line, and the input line is drawn again below them, so the text being typed
    /// stays intact. Transcript lines wrap at spaces, indented under their text. The input line never wraps: it shows a
    /// window of the text around the caret, one cell short of the width, so the cursor never reaches the last column.
    /// The cursor always rests on the input line, so the screen finds that line from where the cursor is now rather
    /// than from a row it remembered: after a resize the terminal may have moved the rows (pulled back scrolled-off
    /// lines, or re-wrapped the input line), and a remembered row would then be some other line.
    /// </summary>
    internal sealed class RoomScreen
    {
        private readonly PSHostUserInterface _ui;
        private readonly PSHostRawUserInterface _raw;
        private readonly string _prompt;
        private readonly int _promptCells;
        private int _drawn;     // how many cells of its row the last drawing of the input line covered
        private int _cursorCell; // the cell of that row the cursor was left on
        private Size _window;   // the window size the last drawing was made for
        private int _scroll;    // the index of the first character of the text shown

        /// <summary>Starts the room on the line below whatever the host shows, with <paramref name="prompt"/> before the input.</summary>
        public RoomScreen(PSHostUserInterface ui, string prompt)
        {
            _ui = ui;
            _raw = ui.RawUI;
            _prompt = RoomLineFormatter.Clean(prompt);
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
            ClearInput();
            write();
            if (_raw.CursorPosition.X != 0) _ui.WriteLine();
            Draw(input);
        }

        /// <summary>Draws the input line again when the window changed size since it was drawn; true when it did.</summary>
        public bool FollowResize(RoomLineEditor input)
        {
            if (_raw.WindowSize == _window) return false;
            ClearInput();
            Draw(input);
            return true;
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
            if (_raw.WindowSize != _window) ClearInput(); // the old drawing may now cover other rows: blank them first
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
            _cursorCell = _promptCells + before;
            _window = _raw.WindowSize;
            _raw.CursorPosition = new Coordinates(_cursorCell, row);
        }

        /// <summary>Erases the input line and writes the farewell in its place; the cursor ends at the start of the next line.</summary>
        public void Close(IReadOnlyList<RoomLine> farewell)
        {
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
                    if (colour == null) _ui.Write(row);
                    else _ui.Write(colour.Value, _raw.BackgroundColor, row);
                    _ui.WriteLine();
                }
            }
        }

        /// <summary>
        /// Blanks what the input line covers now and leaves the cursor at its start. Narrowed below the drawing, a
        /// terminal that re-wraps lines has split it over several rows with the cursor on one of them (tmux, Windows
        /// Terminal); one that cuts lines has left it on one row with the cursor in the last column.
        /// </summary>
        private void ClearInput()
        {
            var at = _raw.CursorPosition;
            int width = Math.Max(1, _raw.BufferSize.Width);
            int top = at.Y, rows = 1;
            if (_drawn > width - 1)
            {
                bool rewrapped = _cursorCell >= width && at.X == _cursorCell % width;
                if (rewrapped) top = Math.Max(0, at.Y - _cursorCell / width);
                rows = (_drawn + width - 1) / width;
            }
            if (_drawn > 0)
            {
                int last = Math.Min(top + rows, _raw.BufferSize.Height);
                for (int row = top; row < last; row++)
                {
                    _raw.CursorPosition = new Coordinates(0, row);
                    _ui.Write(new string(' ', Math.Min(_drawn, width))); // a re-wrapped row is full to its last column
                }
            }
            _raw.CursorPosition = new Coordinates(0, top);
            _drawn = 0;
            _cursorCell = 0;
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
