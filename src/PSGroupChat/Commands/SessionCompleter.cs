using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// Completes <c>-Session</c> with an expression per session of this runspace, running ones first:
    /// <c>(Get-ChatSession -UserName 'ann')</c>. The word typed so far matches the user name.
    /// </summary>
    public sealed class SessionCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = CompletionText.Prefix(wordToComplete);
            return SessionRegistry.InCurrentRunspace()
                .Where(s => s.UserName.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase)
                    || ("(Get-ChatSession -UserName '" + s.UserName).StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase))
                .OrderBy(s => s.State == ChatSessionState.Running ? 0 : 1)
                .Select(s => new CompletionResult($"(Get-ChatSession -UserName {CompletionText.Quote(s.UserName)})",
                    s.UserName, CompletionResultType.ParameterValue, $"{s.UserName} on port {s.Port} ({s.State})"));
        }
    }
}
