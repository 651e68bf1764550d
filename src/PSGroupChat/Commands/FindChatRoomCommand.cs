using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using PSGroupChat.Discovery;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the chat rooms announced on the LAN (multicast DNS), with their members and endpoints.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "ChatRoom")]
    [OutputType(typeof(LanChatRoom))]
    public sealed class FindChatRoomCommand : ChatCommand
    {
        /// <summary>Only rooms whose name matches; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Room { get; set; }

        /// <summary>Seconds to listen for announcements (default 3).</summary>
        [Parameter]
        [ValidateRange(0.1, 600)]
        public double Timeout { get; set; } = 3;

        /// <summary>Listen on the interface holding this address only; by default on every interface that carries multicast.</summary>
        [Parameter]
        public IPAddress? ListenAddress { get; set; }

        /// <summary>Browses for -Timeout seconds, then writes one object per room heard.</summary>
        protected override void EndProcessing()
        {
            var listen = ListenAddress ?? IPAddress.Any;
            System.Threading.Tasks.Task<System.Collections.Generic.IReadOnlyList<LanChatRoom>> browse;
            try
            {
                browse = RoomSurvey.BrowseAsync(listen, TimeSpan.FromSeconds(Timeout), PipelineStopping);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException || e is System.Net.NetworkInformation.NetworkInformationException)
            {
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(
                    $"Cannot browse the LAN for chat rooms: {UdpMulticastLink.WhyNot(e, listen)}. Ask someone in the room for an address and use Start-ChatPeer -Peer <host>:<port>.", e),
                    "MulticastUnavailable", ErrorCategory.ResourceUnavailable, listen));
                return;
            }
            var rooms = Await(browse);
            var patterns = Room?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            foreach (var room in rooms)
            {
                if (patterns == null || patterns.Any(p => p.IsMatch(room.Room) || p.IsMatch(room.RoomKey))) WriteObject(room);
            }
            base.EndProcessing();
        }
    }
}
