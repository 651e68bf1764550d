using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Links a running session to more members, given as host:port.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "ChatPeer")]
    [OutputType(typeof(ChatPeer))]
    public sealed class ConnectChatPeerCommand : ChatCommand
    {
        private readonly List<(string Text, Task<ChatPeer> Dial)> _dials = new List<(string, Task<ChatPeer>)>();
        private ChatSession? _session;

        /// <summary>The session; by default the one running in this runspace.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ChatSession? Session { get; set; }

        /// <summary>The members to link to, as host:port; also from the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string[] Endpoint { get; set; } = Array.Empty<string>();

        /// <summary>Starts a dial per endpoint; they run at once and are awaited in EndProcessing.</summary>
        protected override void ProcessRecord()
        {
            _session ??= ResolveSession(Session);
            foreach (var text in Endpoint)
            {
                try
                {
                    _dials.Add((text, _session.ConnectAsync(ChatEndpoint.Parse(text))));
                }
                catch (FormatException e)
                {
                    WriteError(ChatErrors.MalformedEndpoint(text, e));
                }
                catch (ChatException e)
                {
                    WriteError(ChatErrors.From(e, _session));
                }
            }
        }

        /// <summary>Writes each member as it is linked, and an error for each endpoint that failed.</summary>
        protected override void EndProcessing()
        {
            foreach (var (text, dial) in _dials)
            {
                try
                {
                    WriteObject(Await(dial));
                }
                catch (ChatException e)
                {
                    WriteError(ChatErrors.From(e, text));
                }
                WriteQueuedLog();
            }
            base.EndProcessing();
        }
    }
}
