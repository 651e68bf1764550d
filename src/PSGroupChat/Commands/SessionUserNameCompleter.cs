using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Commands
{
    /// <summary>Completes Get-ChatSession's <c>-UserName</c> with the user names of this runspace's sessions.</summary>
    public sealed class SessionUserNameCompleter : ChatCompleter
    {
        /// <inheritdoc />
        protected override IEnumerable<CompletionCandidate> Candidates(IDictionary fakeBoundParameters) =>
            SessionRegistry.InCurrentRunspace()
                .OrderBy(s => s.UserName, System.StringComparer.OrdinalIgnoreCase)
                .Select(s => new CompletionCandidate(s.UserName, $"{s.UserName} on port {s.Port} ({s.State})"));
    }
}
