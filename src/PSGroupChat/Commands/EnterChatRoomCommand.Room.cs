using System;
using System.Linq;
using System.Management.Automation;
using System.Security;

namespace PSGroupChat.Commands
{
    // Enter-ChatRoom -Room (issue 17): a session of its own in a room on the LAN, started as Start-ChatPeer -Room would.
    public sealed partial class EnterChatRoomCommand
    {
        /// <summary>The room on the LAN to join: starts a session announcing it (Start-ChatPeer -Room) and stops it on leaving.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Room")]
        [ValidateRoomName]
        [ArgumentCompleter(typeof(RoomNameCompleter))]
        public string? Room { get; set; }

        /// <summary>The user name for the session -Room starts; by default the name of the account logged in.</summary>
        [Parameter(ParameterSetName = "Room")]
        [ValidateUserName]
        public string UserName { get; set; } = Environment.UserName;

        /// <summary>The room's shared secret, for the session -Room starts.</summary>
        [Parameter(ParameterSetName = "Room")]
        public SecureString? SharedSecret { get; set; }

        /// <summary>The identity key file for the session -Room starts (Start-ChatPeer -Identity).</summary>
        [Parameter(ParameterSetName = "Room")]
        [ValidateNotNullOrEmpty]
        public string? Identity { get; set; }

        /// <summary>The only keys the room's session admits (Start-ChatPeer -TrustedPeer).</summary>
        [Parameter(ParameterSetName = "Room")]
        [ValidateNotNullOrEmpty]
        public string[]? TrustedPeer { get; set; }

        /// <summary>Runs the room's session without TLS (Start-ChatPeer -Plaintext).</summary>
        [Parameter(ParameterSetName = "Room")]
        public SwitchParameter Plaintext { get; set; }

        /// <summary>
        /// Starts the room's session through Start-ChatPeer itself, so that it is validated, logged and registered the same
        /// way; its warnings and errors are passed on. Null when it could not start (the error is written).
        /// </summary>
        private ChatSession? StartInRoom()
        {
            using var start = PowerShell.Create(RunspaceMode.CurrentRunspace);
            start.AddCommand("PSGroupChat\\Start-ChatPeer").AddParameter("UserName", UserName).AddParameter("Room", Room);
            if (SharedSecret != null) start.AddParameter("SharedSecret", SharedSecret);
            if (Identity != null) start.AddParameter("Identity", Identity);
            if (TrustedPeer != null) start.AddParameter("TrustedPeer", TrustedPeer);
            if (Plaintext) start.AddParameter("Plaintext", true);
            System.Collections.ObjectModel.Collection<PSObject> started;
            try
            {
                started = start.Invoke();
            }
            catch (RuntimeException e)
            {
                ThrowTerminatingError(new ErrorRecord(e.ErrorRecord, e));
                return null;
            }
            foreach (var warning in start.Streams.Warning) WriteWarning(warning.Message);
            foreach (var error in start.Streams.Error) WriteError(error);
            return started.Select(o => o.BaseObject).OfType<ChatSession>().FirstOrDefault();
        }
    }
}
