using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation.Host;
using System.Threading;

namespace PSGroupChat.Tests.Room
{
    /// <summary>
    /// The keystrokes a scripted host replays, in order, with waits between them: a wait holds back the keys after it
    /// until its condition is true, the way a person waits to see something before typing on. While a wait holds,
    /// KeyAvailable is false, so the room keeps running and showing what arrives. A condition that stays false past the
    /// limit throws from KeyAvailable, which fails the room with a message naming the wait.
    /// </summary>
    public sealed class KeyScript
    {
        public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

        private readonly object _gate = new object();
        private readonly Queue<Step> _steps = new Queue<Step>();
        private Stopwatch? _waiting;
        private int _keyAvailableCalls;

        /// <summary>Types each character of <paramref name="text"/>.</summary>
        public KeyScript Type(string text)
        {
            foreach (char c in text) Key(VirtualKeyOf(c), c);
            return this;
        }

        /// <summary>Types <paramref name="text"/> and presses Enter.</summary>
        public KeyScript Line(string text) => Type(text).Enter();

        public KeyScript Enter() => Key(0x0D, '\r');

        public KeyScript Backspace() => Key(0x08, '\b');

        public KeyScript CtrlC() => Key(0x43, '\u0003', ControlKeyStates.LeftCtrlPressed);

        public KeyScript Key(int virtualKey, char character = '\0', ControlKeyStates state = 0)
        {
            lock (_gate) _steps.Enqueue(new Step(new KeyInfo(virtualKey, character, state, true), null, null));
            return this;
        }

        /// <summary>Holds the keys after this until <paramref name="condition"/> is true.</summary>
        public KeyScript WaitUntil(Func<bool> condition, string what)
        {
            lock (_gate) _steps.Enqueue(new Step(default, condition, what));
            return this;
        }

        /// <summary>True once every key was read.</summary>
        public bool Finished
        {
            get { lock (_gate) return _steps.Count == 0; }
        }

        /// <summary>How often the host was asked whether a key is waiting.</summary>
        public int KeyAvailableCalls => Volatile.Read(ref _keyAvailableCalls);

        internal bool KeyAvailable()
        {
            Interlocked.Increment(ref _keyAvailableCalls);
            lock (_gate)
            {
                while (_steps.Count > 0 && _steps.Peek().Condition is Func<bool> condition)
                {
                    if (!condition())
                    {
                        _waiting ??= Stopwatch.StartNew();
                        if (_waiting.Elapsed > WaitLimit) throw new TimeoutException($"The key script waited {WaitLimit.TotalSeconds:0} s in vain for: {_steps.Peek().What}");
                        return false;
                    }
                    _steps.Dequeue();
                    _waiting = null;
                }
                return _steps.Count > 0;
            }
        }

        /// <summary>The next key. A real host blocks in ReadKey until a key comes; this one waits on the script likewise.</summary>
        internal KeyInfo ReadKey()
        {
            var limit = Stopwatch.StartNew();
            while (!KeyAvailable())
            {
                if (limit.Elapsed > WaitLimit) throw new TimeoutException("ReadKey was called but the key script has no more keys");
                Thread.Sleep(10);
            }
            lock (_gate) return _steps.Dequeue().Key;
        }

        // What the console host reports for these; punctuation gets 0, as .NET reports for keys it cannot name.
        private static int VirtualKeyOf(char c) =>
            c >= 'a' && c <= 'z' ? char.ToUpperInvariant(c)
            : (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ? c
            : 0;

        private readonly record struct Step(KeyInfo Key, Func<bool>? Condition, string? What);
    }
}
