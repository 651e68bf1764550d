using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// Completes <c>-Endpoint</c> and <c>-Peer</c> with endpoints worth dialing: the members the runspace's sessions know
    /// (<c>host:port</c> as they reach them) and each running session's own port on localhost (for chats on one machine).
    /// </summary>
    public sealed class EndpointCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = CompletionText.Prefix(wordToComplete);
            var running = SessionRegistry.InCurrentRunspace().Where(s => s.State == ChatSessionState.Running).ToList();
            var members = running.SelectMany(s => s.GetPeers())
                .Where(p => p.Endpoint != null)
                .Select(p => (Text: p.Endpoint!.ToString(), Tip: $"{p.UserName}, a member known to '{p.SessionUser}'"));
            var own = running.Select(s => (Text: $"localhost:{s.Port}", Tip: $"the session of '{s.UserName}' on this computer"));
            return members.Concat(own)
                .GroupBy(e => e.Text, System.StringComparer.OrdinalIgnoreCase).Select(g => g.First())
                .Where(e => e.Text.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase))
                .Select(e => new CompletionResult(CompletionText.Quote(e.Text), e.Text, CompletionResultType.ParameterValue, e.Tip));
        }
    }
}
