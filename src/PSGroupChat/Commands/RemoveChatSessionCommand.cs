using System;
using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes chat sessions from this runspace's list, stopping any that still run.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "ChatSession", SupportsShouldProcess = true)]
    public sealed class RemoveChatSessionCommand : ChatCommand
    {
        /// <summary>
        /// The sessions to remove, e.g. from Get-ChatSession -State Stopped. Mandatory, unlike ChatSessionCommand's
        /// -Session: removing is never done to a session picked by default.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public ChatSession[] Session { get; set; } = Array.Empty<ChatSession>();

        /// <summary>Stops each running session (telling its members), then forgets it.</summary>
        protected override void ProcessChatRecord()
        {
            foreach (var session in Session)
            {
                string action = session.State == ChatSessionState.Running ? "Leave the chat and remove the session" : "Remove the stopped session";
                if (!ShouldProcess($"'{session.UserName}' on port {session.Port}", action)) continue;
                ListenTo(session);
                if (session.State == ChatSessionState.Running) Await(session.StopAsync());
                if (!SessionRegistry.Remove(session))
                {
                    WriteError(ChatErrors.Record(new InvalidOperationException(
                        $"The session of '{session.UserName}' was not started in this runspace, so it is not in its list; it was stopped all the same."),
                        "SessionNotInRunspace", ErrorCategory.ObjectNotFound, session,
                        "Run Remove-ChatSession in the runspace that started the session to take it off that runspace's list."));
                }
            }
        }
    }
}
