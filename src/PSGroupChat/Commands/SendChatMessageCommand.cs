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
    public sealed class SendChatMessageCommand : ChatSessionCommand
    {
        private ChatSession? _recipientsOf;
        private string[]? _recipients;

        /// <summary>
        /// The text; each string piped in is sent as its own message, and a received message piped in forwards its Text.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Text")]
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
        protected override void ProcessChatRecord()
        {
            var session = CurrentSession;
            if (To != null && _recipientsOf != session)
            {
                _recipients = KnownRecipients(session);
                _recipientsOf = session;
            }
            if (To != null && _recipients!.Length == 0) return;

            try
            {
                // Once per period with nobody linked: the message is kept in history for members that come (back), but
                // the user should know that nobody reads it now.
                if (session.TakeAloneWarning())
                    WriteWarning($"No member is linked to '{session.UserName}' now: messages are kept in history and reach the members when they link again (Get-ChatSession shows IsAlone).");
                var sent = session.Send(Message, _recipients, Action.IsPresent);
                if (PassThru) WriteObject(sent);
            }
            catch (ChatException e)
            {
                WriteError(ChatErrors.From(e, session));
            }
        }

        /// <summary>The -To names that are members; a non-terminating error for each that is not.</summary>
        private string[] KnownRecipients(ChatSession session)
        {
            var known = new List<string>();
            foreach (var name in To!)
            {
                if (session.FindPeer(name) is ChatPeer peer) known.Add(peer.UserName);
                else WriteError(ChatErrors.From(new ChatException(ChatErrorCode.UnknownRecipient,
                    $"No member of the chat is named '{name}'.", name)));
            }
            return known.ToArray();
        }
    }
}
