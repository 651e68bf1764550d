using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Leaves the chat: tells every member, closes every link and frees the port.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "ChatPeer", SupportsShouldProcess = true)]
    [OutputType(typeof(ChatSession))]
    public sealed class StopChatPeerCommand : ChatCommand
    {
        /// <summary>The sessions to stop; by default the one running in this runspace.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public ChatSession[]? Session { get; set; }

        /// <summary>A reason the other members see in their "left" notice.</summary>
        [Parameter]
        public string? Reason { get; set; }

        /// <summary>Ends the session as a crash would: links are reset and no leave notice is sent. For simulations.</summary>
        [Parameter]
        public SwitchParameter Abort { get; set; }

        /// <summary>Writes the stopped session.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Stops each session given.</summary>
        protected override void ProcessRecord()
        {
            foreach (var session in Session ?? new[] { ResolveSession(null) })
            {
                ListenTo(session);
                string action = Abort ? "Abort the chat session (no leave notice)" : "Leave the chat and stop the session";
                if (ShouldProcess($"'{session.UserName}' on port {session.Port}", action))
                {
                    if (Abort) session.Abort();
                    else Await(session.StopAsync(Reason));
                }
                WriteQueuedLog();
                if (PassThru) WriteObject(session);
            }
        }
    }
}
