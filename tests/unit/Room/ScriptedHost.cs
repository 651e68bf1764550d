using System;
using System.Globalization;
using System.Management.Automation.Host;

namespace PSGroupChat.Tests.Room
{
    /// <summary>How a scripted host presents itself to the room.</summary>
    public enum HostKeyboard
    {
        /// <summary>A keyboard that replays the key script.</summary>
        Interactive,

        /// <summary>$Host.UI.RawUI is null, as in hosts that only write text.</summary>
        NoRawUI,

        /// <summary>KeyAvailable throws, as the console host's does when its input is redirected from a file.</summary>
        InputRedirected,
    }

    /// <summary>
    /// A PSHost for tests: its keyboard replays a <see cref="KeyScript"/>, and its screen (<see cref="ScriptedScreen"/>)
    /// records everything written with colours and cursor moves. Pass it to <c>new PowerShellHost(host)</c>.
    /// </summary>
    public sealed class ScriptedHost : PSHost
    {
        private readonly ScriptedHostUserInterface _ui;

        public ScriptedHost(KeyScript keys, HostKeyboard keyboard = HostKeyboard.Interactive, int width = 100)
        {
            Keys = keys;
            Screen = new ScriptedScreen(width);
            _ui = new ScriptedHostUserInterface(Screen, keyboard == HostKeyboard.NoRawUI ? null : new ScriptedRawUserInterface(Screen, keys, keyboard));
        }

        public KeyScript Keys { get; }

        public ScriptedScreen Screen { get; }

        public override string Name => "ScriptedHost";

        public override Version Version { get; } = new Version(1, 0);

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override PSHostUserInterface UI => _ui;

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

        public override void EnterNestedPrompt() => throw new NotSupportedException("The scripted host has no nested prompt.");

        public override void ExitNestedPrompt() => throw new NotSupportedException("The scripted host has no nested prompt.");

        public override void NotifyBeginApplication() { }

        public override void NotifyEndApplication() { }

        public override void SetShouldExit(int exitCode) { }
    }
}
