using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// Completes <c>-Session</c> with an expression per session of this runspace, running ones first:
    /// <c>(Get-ChatSession -UserName ann)</c>. The word typed so far matches the user name.
    /// </summary>
    public sealed class SessionCompleter : ChatCompleter
    {
        /// <inheritdoc />
        protected override IEnumerable<CompletionCandidate> Candidates(IDictionary fakeBoundParameters) =>
            SessionRegistry.InCurrentRunspace()
                .OrderBy(s => s.State == ChatSessionState.Running ? 0 : 1)
                .Select(s => new CompletionCandidate(s.UserName, $"{s.UserName} on port {s.Port} ({s.State})",
                    $"(Get-ChatSession -UserName {Quote(s.UserName)})"));
    }
}
