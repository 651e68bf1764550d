using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// What the module's argument completers share: each names its candidates; this matches them against the word typed
    /// so far (case-insensitively, without its opening quote), drops repeats and quotes what needs quoting. A completer
    /// with nothing to offer offers nothing, never file names.
    /// </summary>
    public abstract class ChatCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Candidates(fakeBoundParameters)
                .GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
                .Where(c => c.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(c => new CompletionResult(c.Text ?? Quote(c.Name), c.Name, CompletionResultType.ParameterValue, c.Tooltip))
                .ToList();
        }

        /// <summary>The candidates, in the order to offer them.</summary>
        protected abstract IEnumerable<CompletionCandidate> Candidates(IDictionary fakeBoundParameters);

        /// <summary>The sessions of this runspace, or only the one bound to -Session when there is one.</summary>
        protected static IEnumerable<ChatSession> SessionsOf(IDictionary fakeBoundParameters)
        {
            var bound = fakeBoundParameters["Session"];
            if ((bound is PSObject wrapped ? wrapped.BaseObject : bound) is ChatSession session) return new[] { session };
            return SessionRegistry.InCurrentRunspace();
        }

        /// <summary><paramref name="text"/> as a single-quoted PowerShell string when it needs quoting.</summary>
        protected static string Quote(string text) =>
            text.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.')
                ? text
                : "'" + CodeGeneration.EscapeSingleQuotedStringContent(text) + "'";
    }

    /// <summary>One completion offered: the name matched and listed, the text inserted (by default the quoted name), a tooltip.</summary>
    public sealed class CompletionCandidate
    {
        /// <summary>Creates a candidate.</summary>
        public CompletionCandidate(string name, string tooltip, string? text = null)
        {
            Name = name;
            Tooltip = tooltip;
            Text = text;
        }

        /// <summary>What the typed word is matched against, and what the list shows.</summary>
        public string Name { get; }

        /// <summary>Shown next to the list.</summary>
        public string Tooltip { get; }

        /// <summary>What is inserted; null for the quoted name.</summary>
        public string? Text { get; }
    }
}
