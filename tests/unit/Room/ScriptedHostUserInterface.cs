using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace PSGroupChat.Tests.Room
{
    /// <summary>Writes go to the scripted screen; the streams' lines are written like the console host writes them.</summary>
    public sealed class ScriptedHostUserInterface : PSHostUserInterface
    {
        private readonly ScriptedScreen _screen;
        private readonly PSHostRawUserInterface? _raw;

        public ScriptedHostUserInterface(ScriptedScreen screen, PSHostRawUserInterface? raw)
        {
            _screen = screen;
            _raw = raw;
        }

        public override PSHostRawUserInterface? RawUI => _raw;

        public override void Write(string value) => _screen.Write(value, _screen.Foreground, _screen.Background);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _screen.Write(value, foregroundColor, backgroundColor);

        public override void WriteLine(string value) => _screen.Write(value + "\n", _screen.Foreground, _screen.Background);

        public override void WriteErrorLine(string value) => _screen.Write(value + "\n", ConsoleColor.Red, _screen.Background);

        public override void WriteDebugLine(string message) => _screen.Write("DEBUG: " + message + "\n", ConsoleColor.Yellow, _screen.Background);

        public override void WriteVerboseLine(string message) => _screen.Write("VERBOSE: " + message + "\n", ConsoleColor.Yellow, _screen.Background);

        public override void WriteWarningLine(string message) => _screen.Write("WARNING: " + message + "\n", ConsoleColor.Yellow, _screen.Background);

        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        // The room reads single keys only; a line-reading call means it used the wrong part of the host interface.
        public override string ReadLine() => throw new NotSupportedException("The scripted host reads single keys only.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("The scripted host reads single keys only.");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("The scripted host does not prompt.");

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("The scripted host does not prompt.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("The scripted host does not prompt.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("The scripted host does not prompt.");
    }
}
