using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// Completes <c>-Endpoint</c> and <c>-Peer</c> with endpoints worth dialing: the members the runspace's sessions know
    /// (<c>host:port</c> as they reach them) and each running session's own port on localhost (for chats on one machine).
    /// </summary>
    public sealed class EndpointCompleter : ChatCompleter
    {
        /// <inheritdoc />
        protected override IEnumerable<CompletionCandidate> Candidates(IDictionary fakeBoundParameters)
        {
            var running = SessionRegistry.InCurrentRunspace().Where(s => s.State == ChatSessionState.Running).ToList();
            var members = running.SelectMany(s => s.GetPeers())
                .Where(p => p.Endpoint != null)
                .Select(p => new CompletionCandidate(p.Endpoint!.ToString(), $"{p.UserName}, a member known to '{p.SessionUser}'"));
            var own = running.Select(s => new CompletionCandidate($"localhost:{s.Port}", $"the session of '{s.UserName}' on this computer"));
            return members.Concat(own);
        }
    }
}
