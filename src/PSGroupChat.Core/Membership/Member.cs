using System;
using System.Threading;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat.Membership
{
    /// <summary>A remote member with its one live link. Its link changes only through <see cref="MemberRegistry"/>.</summary>
    internal sealed class Member
    {
        private int _departure; // 0 while none is recorded, else the Departure plus one

        public Member(PeerIdentity identity, PeerLink link, ChatEndpoint? endpoint, DateTimeOffset linkedSince)
        {
            Identity = identity;
            Link = link;
            Endpoint = endpoint;
            LinkedSince = linkedSince;
        }

        public PeerIdentity Identity { get; }
        public string PeerId => Identity.PeerId;
        public string UserName => Identity.UserName;

        /// <summary>Where the member can be dialed: the address its link reached, with the port it listens on.</summary>
        public ChatEndpoint? Endpoint { get; }

        public PeerLink Link { get; private set; }

        /// <summary>The member as member lists name it: made once, for every new link's list names it again.</summary>
        public MemberAnnouncement Announcement => _announcement ??= new MemberAnnouncement(PeerId, UserName, Endpoint!, Identity.Since);

        private MemberAnnouncement? _announcement;

        /// <summary>When its current link was established.</summary>
        public DateTimeOffset LinkedSince { get; private set; }

        /// <summary>The highest sequence number received from this member on its link: later ones must be higher.</summary>
        public long LastSequence { get; set; }

        /// <summary>Why this side ended the member's link, when it did so on purpose (leave, name conflict, timeout); else null.</summary>
        public Departure? Departure
        {
            get
            {
                int departure = Volatile.Read(ref _departure);
                return departure == 0 ? null : (Departure)(departure - 1);
            }
        }

        /// <summary>The reason the member gave in its leave notice.</summary>
        public string? LeaveText { get; private set; }

        /// <summary>
        /// Records why the member is going. The first reason stands, since the link may end by either hand, except that its
        /// own leave notice always says best why it went.
        /// </summary>
        public void Depart(Departure departure, string? leaveText = null)
        {
            if (departure == Membership.Departure.Graceful)
            {
                LeaveText = leaveText;
                Volatile.Write(ref _departure, (int)departure + 1);
            }
            else
            {
                Interlocked.CompareExchange(ref _departure, (int)departure + 1, 0);
            }
        }

        internal void Relink(PeerLink link, DateTimeOffset since)
        {
            Link = link;
            LinkedSince = since;
        }
    }
}
