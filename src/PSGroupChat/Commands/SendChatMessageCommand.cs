using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Sends a message to every member of the chat, or to the named members only.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "ChatMessage")]
    [OutputType(typeof(ChatMessage))]
    public sealed class SendChatMessageCommand : ChatCommand
    {
        private ChatSession? _session;
        private string[]? _recipients;

        /// <summary>The session; by default the one running in this runspace.</summary>
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public ChatSession? Session { get; set; }

        /// <summary>The text; each string piped in is sent as its own message.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateMessage]
        [AllowEmptyString] // so that ValidateMessage, not the binder, explains what is wrong with ''
        public string Message { get; set; } = string.Empty;

        /// <summary>Sends a direct message to these members only.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MemberNameCompleter))]
        public string[]? To { get; set; }

        /// <summary>Sends an action, shown as "* alice waves".</summary>
        [Parameter]
        public SwitchParameter Action { get; set; }

        /// <summary>Writes the sent message, with its id, sequence number and recipients.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Sends one message per input.</summary>
        protected override void ProcessRecord()
        {
            // The session is resolved once per pipeline; a session piped in per record replaces it.
            if (_session == null || (Session != null && Session != _session))
            {
                _session = ResolveSession(Session);
                _recipients = null;
            }
            if (To != null && _recipients == null) _recipients = KnownRecipients(_session);
            if (To != null && _recipients!.Length == 0) return;

            try
            {
                var sent = _session.Send(Message, _recipients, Action.IsPresent);
                if (PassThru) WriteObject(sent);
            }
            catch (ChatException e)
            {
                WriteError(ChatErrors.From(e, e.Code == ChatErrorCode.SessionStopped ? _session : null));
            }
            WriteQueuedLog();
        }

        /// <summary>The -To names that are members; a non-terminating error for each that is not.</summary>
        private string[] KnownRecipients(ChatSession session)
        {
            var known = new List<string>();
            foreach (var name in To!)
            {
                if (session.FindPeer(name) is ChatPeer peer) known.Add(peer.UserName);
                else WriteError(ChatErrors.From(new ChatException(ChatErrorCode.UnknownRecipient,
                    $"No member of the chat is named '{name}'; Get-ChatPeer lists the members.", name)));
            }
            return known.ToArray();
        }
    }
}
