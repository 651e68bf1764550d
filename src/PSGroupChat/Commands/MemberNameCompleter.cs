using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Commands
{
    /// <summary>Completes -To, -From and Get-ChatPeer's -UserName with the user names of the members the session knows.</summary>
    public sealed class MemberNameCompleter : ChatCompleter
    {
        /// <inheritdoc />
        protected override IEnumerable<CompletionCandidate> Candidates(IDictionary fakeBoundParameters) =>
            SessionsOf(fakeBoundParameters)
                .Where(s => s.State == ChatSessionState.Running)
                .SelectMany(s => s.GetPeers())
                .OrderBy(p => p.UserName, System.StringComparer.OrdinalIgnoreCase)
                .Select(p => new CompletionCandidate(p.UserName, $"{p.UserName}, a member known to '{p.SessionUser}'"));
    }
}
