using System;
using System.Collections.Generic;
using System.Management.Automation.Host;
using System.Text;

namespace PSGroupChat.Room
{
    /// <summary>
    /// The line the user is typing in the chat room, with its caret. It lives apart from the screen so that the partial
    /// input survives whatever is written above it: the screen only ever draws it again. Keys: printable characters
    /// insert, Backspace/Delete erase, Ctrl+W erases the word before the caret, Left/Right/Home/End (and Ctrl+A/Ctrl+E)
    /// move, Escape and Ctrl+U clear, Up/Down recall the lines sent before, Enter hands the line over, Tab asks for a
    /// completion, Ctrl+L for a redraw, Ctrl+C asks to leave, and Ctrl+D leaves on an empty line and erases the character
    /// under the caret otherwise (as in shells).
    /// </summary>
    internal sealed class RoomLineEditor
    {
        /// <summary>Longest line kept: a whole message plus a command and a member name in front of it.</summary>
        public const int MaxLength = ChatLimits.MaxMessageLength + ChatLimits.MaxUserNameLength + 16;

        private const int MaxHistory = 100;

        // Windows virtual-key codes, which every PowerShell host reports in KeyInfo.VirtualKeyCode.
        private const int Backspace = 0x08, Tab = 0x09, Enter = 0x0D, Escape = 0x1B, End = 0x23, Home = 0x24,
            Left = 0x25, Up = 0x26, Right = 0x27, Down = 0x28, Delete = 0x2E, KeyA = 0x41, KeyC = 0x43,
            KeyD = 0x44, KeyE = 0x45, KeyL = 0x4C, KeyU = 0x55, KeyW = 0x57;

        private readonly StringBuilder _text = new StringBuilder();
        private readonly List<string> _history = new List<string>();
        private int _historyIndex; // == _history.Count while editing a new line
        private string _draft = string.Empty; // the new line, kept while Up/Down show older ones

        /// <summary>The text typed so far.</summary>
        public string Text => _text.ToString();

        /// <summary>Where the next character goes: an index into <see cref="Text"/>.</summary>
        public int Caret { get; private set; }

        /// <summary>Applies one key. On <see cref="RoomKeyResult.Submitted"/>, <paramref name="line"/> is the line typed.</summary>
        public RoomKeyResult Apply(KeyInfo key, out string? line)
        {
            line = null;
            bool control = (key.ControlKeyState & (ControlKeyStates.LeftCtrlPressed | ControlKeyStates.RightCtrlPressed)) != 0;
            bool alt = (key.ControlKeyState & (ControlKeyStates.LeftAltPressed | ControlKeyStates.RightAltPressed)) != 0;
            char c = key.Character;

            // Ctrl+letter arrives as the letter's key code with Ctrl held, and often as the matching control character.
            if (c == '\u0003' || (control && key.VirtualKeyCode == KeyC)) return RoomKeyResult.Interrupted;
            if (c == '\r' || c == '\n' || key.VirtualKeyCode == Enter)
            {
                line = Text;
                if (line.Trim().Length > 0 && (_history.Count == 0 || _history[_history.Count - 1] != line))
                {
                    _history.Add(line);
                    if (_history.Count > MaxHistory) _history.RemoveAt(0);
                }
                _historyIndex = _history.Count;
                _draft = string.Empty;
                Replace(string.Empty);
                return RoomKeyResult.Submitted;
            }
            if (c == '\u0001' || (control && key.VirtualKeyCode == KeyA)) return MoveTo(0);
            if (c == '\u0005' || (control && key.VirtualKeyCode == KeyE)) return MoveTo(_text.Length);
            if (c == '\u0015' || (control && key.VirtualKeyCode == KeyU))
            {
                if (Caret == 0) return RoomKeyResult.Unchanged;
                _text.Remove(0, Caret);
                Caret = 0;
                return RoomKeyResult.Edited;
            }
            if (c == '\u0017' || (control && key.VirtualKeyCode == KeyW)) return EraseWordBefore();
            if (c == '\u000C' || (control && key.VirtualKeyCode == KeyL)) return RoomKeyResult.RedrawAsked;
            if (c == '\u0004' || (control && key.VirtualKeyCode == KeyD)) return _text.Length == 0 ? RoomKeyResult.LeaveAsked : EraseAfter();
            if (c == '\t' || key.VirtualKeyCode == Tab) return RoomKeyResult.CompletionAsked;

            // A printable character is typed text whatever its key code: some hosts report a character's own code as
            // the key code, and '.' (0x2E) must not be taken for Delete. Ctrl without Alt is a shortcut, not text
            // (Ctrl+Alt is AltGr on many keyboards, which types characters such as '@').
            if (c != '\0' && !char.IsControl(c))
            {
                if (control && !alt) return RoomKeyResult.Unchanged;
                if (_text.Length >= MaxLength) return RoomKeyResult.Unchanged;
                _text.Insert(Caret, c);
                Caret++;
                return RoomKeyResult.Edited;
            }
            // Some terminals report Backspace as DEL (0x7F) or BS without the key code.
            if (c == '\b' || c == '\u007F') return EraseBefore();
            switch (key.VirtualKeyCode)
            {
                case Backspace:
                    return EraseBefore();
                case Delete:
                    return EraseAfter();
                case Left:
                    return MoveTo(Caret - StepBack(Caret));
                case Right:
                    return MoveTo(Caret + StepForward(Caret));
                case Home:
                    return MoveTo(0);
                case End:
                    return MoveTo(_text.Length);
                case Escape:
                    if (_text.Length == 0) return RoomKeyResult.Unchanged;
                    Replace(string.Empty);
                    return RoomKeyResult.Edited;
                case Up:
                    return Recall(_historyIndex - 1);
                case Down:
                    return Recall(_historyIndex + 1);
                default:
                    return RoomKeyResult.Unchanged;
            }
        }

        private RoomKeyResult MoveTo(int caret)
        {
            if (caret < 0 || caret > _text.Length || caret == Caret) return RoomKeyResult.Unchanged;
            Caret = caret;
            return RoomKeyResult.Edited;
        }

        private RoomKeyResult EraseBefore()
        {
            if (Caret == 0) return RoomKeyResult.Unchanged;
            int count = StepBack(Caret);
            Caret -= count;
            _text.Remove(Caret, count);
            return RoomKeyResult.Edited;
        }

        private RoomKeyResult EraseAfter()
        {
            if (Caret == _text.Length) return RoomKeyResult.Unchanged;
            _text.Remove(Caret, StepForward(Caret));
            return RoomKeyResult.Edited;
        }

        /// <summary>Erases back to the start of the word before the caret, and the blanks between it and the caret.</summary>
        private RoomKeyResult EraseWordBefore()
        {
            int start = Caret;
            while (start > 0 && char.IsWhiteSpace(_text[start - 1])) start--;
            while (start > 0 && !char.IsWhiteSpace(_text[start - 1])) start--;
            if (start == Caret) return RoomKeyResult.Unchanged;
            _text.Remove(start, Caret - start);
            Caret = start;
            return RoomKeyResult.Edited;
        }

        /// <summary>Puts a completed line in place of the one being typed (see <see cref="RoomCompleter"/>).</summary>
        public void Complete(RoomCompletion completion)
        {
            if (completion.Text.Length > MaxLength) return;
            _text.Clear().Append(completion.Text);
            Caret = Math.Min(completion.Caret, _text.Length);
        }

        /// <summary>Shows history entry <paramref name="index"/>; one past the last is the line being written.</summary>
        private RoomKeyResult Recall(int index)
        {
            if (index < 0 || index > _history.Count || index == _historyIndex) return RoomKeyResult.Unchanged;
            if (_historyIndex == _history.Count) _draft = Text;
            _historyIndex = index;
            Replace(index == _history.Count ? _draft : _history[index]);
            return RoomKeyResult.Edited;
        }

        private void Replace(string text)
        {
            _text.Clear().Append(text);
            Caret = _text.Length;
        }

        // A character outside the Basic Multilingual Plane (most emoji) is two chars: the caret never stops between them.
        private int StepBack(int at) => at >= 2 && char.IsSurrogatePair(_text[at - 2], _text[at - 1]) ? 2 : 1;

        private int StepForward(int at) => at + 1 < _text.Length && char.IsSurrogatePair(_text[at], _text[at + 1]) ? 2 : 1;
    }
}
