using System;
using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Links a running session to more members, given as host:port.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "ChatPeer")]
    [OutputType(typeof(ChatPeer))]
    public sealed class ConnectChatPeerCommand : ChatSessionCommand
    {
        private MemberDialer? _dialer;

        /// <summary>The members to link to, as host:port; also from the pipeline, or from the Endpoint of a ChatPeer.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [EndpointText]
        [ArgumentCompleter(typeof(EndpointCompleter))]
        public string[] Endpoint { get; set; } = Array.Empty<string>();

        /// <summary>Starts a dial per endpoint; they run at once and are reported in EndProcessing.</summary>
        protected override void ProcessChatRecord()
        {
            _dialer ??= new MemberDialer(this);
            var endpoints = _dialer.Parse(Endpoint, out _);
            _dialer.Start(CurrentSession, endpoints, PipelineStopping);
        }

        /// <summary>Writes each member as it is linked, and an error for each endpoint that failed.</summary>
        protected override void EndChatProcessing() => _dialer?.Report(writeMembers: true);
    }
}
