using System;
using System.Management.Automation;
using PSGroupChat.Room;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Chats at the keyboard: shows messages and notices as they arrive and sends each line typed.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Enter, "ChatRoom", DefaultParameterSetName = "Session")]
    public sealed partial class EnterChatRoomCommand : ChatCommand
    {
        /// <summary>The session to chat in; by default the one running in this runspace.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Session")]
        public ChatSession? Session { get; set; }

        /// <summary>Stops the session (leaves the chat) when the user leaves the room.</summary>
        [Parameter]
        public SwitchParameter StopOnExit { get; set; }

        /// <summary>Refuses a host that cannot read keys before any session is touched.</summary>
        protected override void BeginProcessing()
        {
            var problem = InteractiveHost.WhyNot(Host);
            if (problem != null)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(
                    $"Enter-ChatRoom needs an interactive host, and the host '{Host.Name}' is not one: {problem}. " +
                    "In scripts and hosted runspaces use Send-ChatMessage and Receive-ChatMessage instead."),
                    "NonInteractiveHost", ErrorCategory.InvalidOperation, Host.Name));
            }
        }

        /// <summary>Runs the room for the session until /quit, Ctrl+C or the session stops.</summary>
        protected override void ProcessRecord()
        {
            var session = Room != null ? StartInRoom() : ResolveSession(Session); // -Room: EnterChatRoomCommand.Room.cs (issue 17)
            if (session == null) return;
            if (session.State != ChatSessionState.Running)
            {
                var why = session.StopReason == null || session.StopReason == "stopped" ? "." : $": {session.StopReason}.";
                ThrowTerminatingError(ChatErrors.From(new ChatException(ChatErrorCode.SessionStopped, $"The chat session of '{session.UserName}' has stopped{why}", session)));
            }

            RoomExit exit;
            try
            {
                exit = new ChatRoom(session, Host.UI, WriteQueuedLog, WhenLogQueuedAsync, PipelineStopping).Run(StopOnExit.IsPresent || Room != null);
            }
            catch (Exception e) when (InteractiveHost.IsHostRefusal(e))
            {
                // The host stopped reading keys midway (e.g. a non-interactive console host refuses ReadKey).
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(
                    $"The host '{Host.Name}' stopped serving the chat room: {e.Message}", e), "NonInteractiveHost", ErrorCategory.InvalidOperation, Host.Name));
                return;
            }
            if (exit == RoomExit.SessionStopped && session.Failure != null) WriteError(ChatErrors.From(session.Failure, session));
            if (!PipelineStopping.IsCancellationRequested) WriteQueuedLog();
        }
    }
}
