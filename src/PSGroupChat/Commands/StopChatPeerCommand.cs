using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Leaves the chat: tells every member, closes every link and frees the port.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "ChatPeer", SupportsShouldProcess = true, DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(ChatSession))]
    public sealed class StopChatPeerCommand : ChatCommand
    {
        private const string SessionSet = "Session";
        private const string MemberSet = "Member";
        private readonly List<ChatSession> _stopping = new List<ChatSession>();

        /// <summary>
        /// The sessions to stop; by default the one running in this runspace. Its own parameter, not ChatSessionCommand's:
        /// this cmdlet acts on many sessions at once (PSOpenAD's Remove-OpenADSession is shaped the same way).
        /// </summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = SessionSet)]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public ChatSession[]? Session { get; set; }

        /// <summary>
        /// Catches a remote member piped in by mistake (Get-ChatPeer | Stop-ChatPeer) to say what to do instead; a peer
        /// can only leave on its own computer.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = MemberSet, DontShow = true)]
        public ChatPeer? Member { get; set; }

        /// <summary>A reason the other members see in their "left" notice.</summary>
        [Parameter]
        public string? Reason { get; set; }

        /// <summary>Ends the session as a crash would: links are reset and no leave notice is sent. For simulations.</summary>
        [Parameter]
        public SwitchParameter Abort { get; set; }

        /// <summary>Writes the stopped session.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Confirms each session; sessions given together stop together, in EndProcessing.</summary>
        protected override void ProcessChatRecord()
        {
            if (Member != null)
            {
                WriteError(ChatErrors.Record(new InvalidOperationException(
                    $"'{Member.UserName}' is a remote member of the chat of '{Member.SessionUser}'; Stop-ChatPeer stops sessions of this runspace, and a member can only leave on its own computer."),
                    "MemberIsNotASession", ErrorCategory.InvalidArgument, Member,
                    $"To leave the chat yourself, stop your session: Get-ChatSession -UserName '{Member.SessionUser}' | Stop-ChatPeer."));
                return;
            }
            foreach (var session in Session ?? new[] { ResolveSession(null) })
            {
                ListenTo(session);
                string action = Abort ? "Abort the chat session (no leave notice)" : "Leave the chat and stop the session";
                if (ShouldProcess($"'{session.UserName}' on port {session.Port}", action)) _stopping.Add(session);
                else if (PassThru) WriteObject(session);
            }
        }

        /// <summary>Stops every confirmed session at once, so stopping several takes as long as the slowest.</summary>
        protected override void EndChatProcessing()
        {
            if (_stopping.Count == 0) return;
            Await(Task.WhenAll(_stopping.Select(s => Abort ? Task.Run(s.Abort) : s.StopAsync(Reason))));
            if (PassThru) WriteObject(_stopping, enumerateCollection: true);
        }
    }
}
