using System;
using System.Collections.Generic;
using System.Linq;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// How the mesh completes: a new member is told whom this session knows, the others are told of it, and every
    /// member list received makes this session link to the members it does not know yet.
    /// </summary>
    internal sealed class Gossip
    {
        private readonly string _ownPeerId;
        private readonly MemberRegistry _registry;
        private readonly Redialer _redialer;
        private readonly int _maxMembers;
        private readonly Action<Member> _expel;
        private readonly Action _ownNameLost;

        public Gossip(string ownPeerId, MemberRegistry registry, Redialer redialer, int maxMembers, Action<Member> expel, Action ownNameLost)
        {
            _ownPeerId = ownPeerId;
            _registry = registry;
            _redialer = redialer;
            _maxMembers = maxMembers;
            _expel = expel;
            _ownNameLost = ownNameLost;
        }

        /// <summary>Tells the member on <paramref name="link"/> whom we know, and, if it is new, everyone else about it.</summary>
        public void Introduce(Member member, PeerLink link, Member[] others, bool isNew)
        {
            if (others.Length > 0) link.TrySend(WireCodec.EncodeMembers(others.Select(Announce).ToArray()));
            if (!isNew) return;
            var news = WireCodec.EncodeMembers(new[] { Announce(member) });
            foreach (var other in others) other.Link.TrySend(news);
        }

        /// <summary>
        /// A member list, held to the rule of a hello and to the member limit: it makes this session dial, so a member
        /// must not be able to make it dial without bound or on behalf of names no peer could have.
        /// </summary>
        public void OnMembers(IReadOnlyList<MemberAnnouncement> announced)
        {
            if (announced.Count > _maxMembers)
                throw new WireProtocolException($"a member list of {announced.Count} entries exceeds the member limit of {_maxMembers}");
            foreach (var entry in announced) PeerRule.Check(entry.PeerId, entry.UserName, "an announced member");

            foreach (var entry in announced)
            {
                if (entry.PeerId == _ownPeerId) continue;
                var step = _registry.Consider(entry);
                switch (step.Action)
                {
                    case GossipAction.StopReading:
                        return;
                    case GossipAction.OwnNameLost:
                        _ownNameLost();
                        return;
                    case GossipAction.Dial:
                        if (step.Expel != null) _expel(step.Expel);
                        _redialer.DialAnnounced(entry, step.DialNow);
                        break;
                }
            }
        }

        private static MemberAnnouncement Announce(Member m) => new MemberAnnouncement(m.PeerId, m.UserName, m.Endpoint!, m.Identity.Since);
    }
}
