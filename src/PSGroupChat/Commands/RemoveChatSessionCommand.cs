using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes chat sessions from this runspace's list, stopping any that still run.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "ChatSession", SupportsShouldProcess = true)]
    public sealed class RemoveChatSessionCommand : ChatCommand
    {
        /// <summary>The sessions to remove, e.g. from Get-ChatSession -State Stopped.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public ChatSession[] Session { get; set; } = System.Array.Empty<ChatSession>();

        /// <summary>Stops each running session (telling its members), then forgets it.</summary>
        protected override void ProcessRecord()
        {
            foreach (var session in Session)
            {
                string action = session.State == ChatSessionState.Running ? "Leave the chat and remove the session" : "Remove the stopped session";
                if (!ShouldProcess($"'{session.UserName}' on port {session.Port}", action)) continue;
                ListenTo(session);
                if (session.State == ChatSessionState.Running) Await(session.StopAsync());
                WriteQueuedLog();
                if (!SessionRegistry.Remove(session))
                {
                    WriteError(new ErrorRecord(new System.InvalidOperationException(
                        $"The session of '{session.UserName}' was not started in this runspace, so it is not in its list; it was stopped all the same."),
                        "SessionNotInRunspace", ErrorCategory.ObjectNotFound, session));
                }
            }
        }
    }
}
