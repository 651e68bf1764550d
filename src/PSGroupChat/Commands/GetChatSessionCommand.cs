using System.Linq;
using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the chat sessions started in this runspace, running and stopped.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ChatSession")]
    [OutputType(typeof(ChatSession))]
    public sealed class GetChatSessionCommand : ChatCommand
    {
        /// <summary>Only sessions whose user name matches; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SessionUserNameCompleter))]
        public string[]? UserName { get; set; }

        /// <summary>Only sessions in this state.</summary>
        [Parameter]
        public ChatSessionState? State { get; set; }

        /// <summary>Writes the matching sessions, oldest first.</summary>
        protected override void EndChatProcessing()
        {
            var patterns = UserName?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            foreach (var session in SessionRegistry.InCurrentRunspace())
            {
                if (State != null && session.State != State) continue;
                if (patterns != null && !patterns.Any(p => p.IsMatch(session.UserName))) continue;
                WriteObject(session);
            }
        }
    }
}
