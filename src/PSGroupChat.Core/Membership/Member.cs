using System;
using PSGroupChat.Transport;

namespace PSGroupChat.Membership
{
    /// <summary>A remote member with its one live link.</summary>
    internal sealed class Member
    {
        public Member(PeerIdentity identity, PeerConnection link, ChatEndpoint? endpoint, DateTimeOffset joinedAt)
        {
            Identity = identity;
            Link = link;
            Endpoint = endpoint;
            JoinedAt = joinedAt;
        }

        public PeerIdentity Identity { get; }
        public string PeerId => Identity.PeerId;
        public string UserName => Identity.UserName;
        public PeerConnection Link { get; set; }
        public ChatEndpoint? Endpoint { get; }
        public DateTimeOffset JoinedAt { get; }

        /// <summary>The highest sequence number received from this member on its link: later ones must be higher.</summary>
        public long LastSequence { get; set; }

        /// <summary>Set when this session expelled the member for a name conflict: it is not to be re-dialed.</summary>
        public bool Expelled { get; set; }

        /// <summary>Set when the member's leave notice arrived, with the reason it gave.</summary>
        public bool LeftGracefully { get; set; }
        public string? LeaveText { get; set; }
    }
}
