using System;
using System.Management.Automation.Host;

namespace PSGroupChat.Tests.Room
{
    /// <summary>
    /// The raw UI of the scripted host: keys come from the key script, the cursor and colours are the scripted screen's.
    /// The members the room has no business using (reading or scrolling the buffer, resizing the window) throw, so a
    /// room that needed more than KeyAvailable, ReadKey, CursorPosition, colours and sizes would fail here.
    /// </summary>
    public sealed class ScriptedRawUserInterface : PSHostRawUserInterface
    {
        private readonly ScriptedScreen _screen;
        private readonly KeyScript _keys;
        private readonly HostKeyboard _keyboard;

        public ScriptedRawUserInterface(ScriptedScreen screen, KeyScript keys, HostKeyboard keyboard)
        {
            _screen = screen;
            _keys = keys;
            _keyboard = keyboard;
        }

        /// <summary>The options of every ReadKey call, to check that Ctrl+C is asked for as a key.</summary>
        public ReadKeyOptions LastReadKeyOptions { get; private set; }

        public override bool KeyAvailable
        {
            get
            {
                // The console host's own words when its input is redirected.
                if (_keyboard == HostKeyboard.InputRedirected)
                {
                    throw new InvalidOperationException("Cannot see if a key has been pressed when either application does not have a console or when console input has been redirected from a file. Try Console.In.Peek.");
                }
                return _keys.KeyAvailable();
            }
        }

        public override KeyInfo ReadKey(ReadKeyOptions options)
        {
            LastReadKeyOptions = options;
            return _keys.ReadKey();
        }

        public override void FlushInputBuffer() { }

        public override Coordinates CursorPosition
        {
            get => _screen.Cursor;
            set => _screen.Cursor = value;
        }

        public override ConsoleColor ForegroundColor
        {
            get => _screen.Foreground;
            set => _screen.Foreground = value;
        }

        public override ConsoleColor BackgroundColor
        {
            get => _screen.Background;
            set => _screen.Background = value;
        }

        public override Size BufferSize
        {
            get => new Size(_screen.Width, 9999);
            set => throw new NotSupportedException("The scripted screen has a fixed size.");
        }

        public override Size WindowSize
        {
            get => new Size(_screen.Width, _screen.Height);
            set => throw new NotSupportedException("The scripted screen has a fixed size.");
        }

        /// <summary>As the Linux console host: the char overload says 1 even for wide characters; the string overload knows.</summary>
        public override int LengthInBufferCells(char source) => 1;

        public override int LengthInBufferCells(string source) => ScriptedScreen.Cells(source);

        public override int LengthInBufferCells(string source, int offset) => ScriptedScreen.Cells(source.Substring(offset));

        public override Coordinates WindowPosition
        {
            get => new Coordinates(0, _screen.WindowTop);
            set => throw new NotSupportedException("The scripted screen does not scroll.");
        }

        public override Size MaxWindowSize => WindowSize;

        public override Size MaxPhysicalWindowSize => WindowSize;

        public override int CursorSize { get; set; } = 25;

        public override string WindowTitle { get; set; } = "scripted";

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException("The room must not read the screen back.");

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
            throw new NotSupportedException("The room must not scroll the buffer.");

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException("The room writes with Write only.");

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException("The room writes with Write only.");
    }
}
