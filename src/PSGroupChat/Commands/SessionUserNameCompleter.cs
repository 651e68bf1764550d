using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSGroupChat.Commands
{
    /// <summary>Completes Get-ChatSession's <c>-UserName</c> with the user names of this runspace's sessions.</summary>
    public sealed class SessionUserNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = CompletionText.Prefix(wordToComplete);
            return SessionRegistry.InCurrentRunspace()
                .Select(s => s.UserName)
                .Distinct(System.StringComparer.OrdinalIgnoreCase)
                .Where(n => n.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n, System.StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(CompletionText.Quote(n), n, CompletionResultType.ParameterValue, n));
        }
    }
}
