using System.Linq;
using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the remote members a session knows: linked ones and ones being re-dialed.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ChatPeer")]
    [OutputType(typeof(ChatPeer))]
    public sealed class GetChatPeerCommand : ChatSessionCommand
    {
        /// <summary>Only members whose user name matches; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(MemberNameCompleter))]
        public string[]? UserName { get; set; }

        /// <summary>Writes the members, ordered by user name.</summary>
        protected override void ProcessChatRecord()
        {
            var patterns = UserName?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            foreach (var peer in CurrentSession.GetPeers().OrderBy(p => p.UserName, System.StringComparer.OrdinalIgnoreCase))
            {
                if (patterns == null || patterns.Any(p => p.IsMatch(peer.UserName))) WriteObject(peer);
            }
        }
    }
}
