using System;
using System.Collections.Generic;
using System.Management.Automation.Host;

namespace PSGroupChat.Room
{
    /// <summary>
    /// Draws the chat room through the host interface only ($Host.UI.Write, $Host.UI.RawUI.CursorPosition, colours and
    /// buffer width), so it works in any interactive host. The screen is the scrolling transcript with one input line
    /// under it: new lines overwrite the input line, and the input line is drawn again below them, so the text being
    /// typed stays intact. The input line never wraps: it shows a window of the text around the caret, one cell short
    /// of the buffer width, so the cursor never reaches the last column (where terminals differ on when they wrap) and
    /// its row is always known.
    /// </summary>
    internal sealed class RoomScreen
    {
        private readonly PSHostUserInterface _ui;
        private readonly PSHostRawUserInterface _raw;
        private readonly string _prompt;
        private readonly int _promptCells;
        private int _row;       // the buffer row the input line is on
        private int _drawn;     // how many cells of that row the last drawing covered
        private int _scroll;    // the index of the first character of the text shown

        /// <summary>Starts the room on the line below whatever the host shows, with <paramref name="prompt"/> before the input.</summary>
        public RoomScreen(PSHostUserInterface ui, string prompt)
        {
            _ui = ui;
            _raw = ui.RawUI;
            _prompt = RoomLineFormatter.Clean(prompt);
            _promptCells = _raw.LengthInBufferCells(_prompt);
            if (_raw.CursorPosition.X != 0) _ui.WriteLine();
            _row = _raw.CursorPosition.Y;
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
            _row = _raw.CursorPosition.Y;
            Draw(input);
        }

        /// <summary>Draws the prompt and the visible part of the text, and puts the cursor at the caret.</summary>
        public void Draw(RoomLineEditor input)
        {
            var text = input.Text;
            int caret = input.Caret;
            int room = Math.Max(2, Width() - 1 - _promptCells);

            // Scroll only as far as needed to keep the caret on screen, walking at most one screen width of text.
            if (caret < _scroll || _scroll > text.Length) _scroll = Math.Min(caret, text.Length);
            int start = caret, before = 0;
            while (start > _scroll)
            {
                int step = StepBack(text, start);
                int cells = CellsAt(text, start - step, step);
                if (before + cells >= room) break;
                before += cells;
                start -= step;
            }
            _scroll = start;

            int end = caret, shown = before;
            while (end < text.Length)
            {
                int step = Step(text, end);
                int cells = CellsAt(text, end, step);
                if (shown + cells >= room) break;
                shown += cells;
                end += step;
            }
            // After erasing near the end, bring hidden text back in from the left rather than leave the line half empty.
            while (_scroll > 0)
            {
                int step = StepBack(text, _scroll);
                int cells = CellsAt(text, _scroll - step, step);
                if (shown + cells >= room) break;
                shown += cells;
                before += cells;
                _scroll -= step;
            }

            int total = _promptCells + shown;
            var visible = _prompt + text.Substring(_scroll, end - _scroll);
            _raw.CursorPosition = new Coordinates(0, _row);
            _ui.Write(total < _drawn ? visible + new string(' ', _drawn - total) : visible);
            _drawn = total;
            _raw.CursorPosition = new Coordinates(_promptCells + before, _row);
        }

        /// <summary>Erases the input line and writes the farewell in its place; the cursor ends at the start of the next line.</summary>
        public void Close(IReadOnlyList<RoomLine> farewell)
        {
            ClearInput();
            WriteLines(farewell);
        }

        /// <summary>Writes each line in its kind's colour; the cursor ends at the start of the row after the last.</summary>
        private void WriteLines(IReadOnlyList<RoomLine> lines)
        {
            foreach (var line in lines)
            {
                var colour = ColourOf(line.Kind);
                if (colour == null) _ui.Write(line.Text);
                else _ui.Write(colour.Value, _raw.BackgroundColor, line.Text);
                _ui.WriteLine();
            }
        }

        /// <summary>Blanks what the input line covered and leaves the cursor at its start.</summary>
        private void ClearInput()
        {
            _raw.CursorPosition = new Coordinates(0, _row);
            if (_drawn > 0)
            {
                _ui.Write(new string(' ', _drawn));
                _raw.CursorPosition = new Coordinates(0, _row);
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

        /// <summary>Cells of one character: an East Asian wide character takes two, which only the host knows.</summary>
        private int CellsAt(string text, int at, int step) =>
            step == 1 ? _raw.LengthInBufferCells(text[at]) : _raw.LengthInBufferCells(text.Substring(at, step));

        private static int StepBack(string text, int at) => at >= 2 && char.IsSurrogatePair(text[at - 2], text[at - 1]) ? 2 : 1;

        private static int Step(string text, int at) => at + 1 < text.Length && char.IsSurrogatePair(text[at], text[at + 1]) ? 2 : 1;
    }
}
