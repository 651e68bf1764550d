using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSGroupChat.Commands
{
    /// <summary>Completes -To and -From with the user names of the members the session knows.</summary>
    public sealed class MemberNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var sessions = fakeBoundParameters["Session"] is ChatSession bound
                ? new[] { bound }
                : (fakeBoundParameters["Session"] as PSObject)?.BaseObject is ChatSession wrapped
                    ? new[] { wrapped }
                    : SessionRegistry.InCurrentRunspace().Where(s => s.State == ChatSessionState.Running).ToArray();
            var prefix = wordToComplete.Trim('\'', '"');
            return sessions
                .SelectMany(s => s.GetPeers().Select(p => p.UserName))
                .Distinct(System.StringComparer.OrdinalIgnoreCase)
                .Where(n => n.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n, System.StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
        }
    }
}
