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
    /// Only the member a newcomer reached first tells the others of it: a member that was announced to this session is
    /// already being announced by whoever announced it (to its members, and in its list to every later link), so telling
    /// everyone again from here would only multiply the lists while a mesh forms: with n peers, n times n announcements
    /// of each newcomer instead of n. Every new link still gets this session's whole list, so two linked members always
    /// know each other's members, which is what makes the mesh complete.
    /// </summary>
    internal sealed class Gossip
    {
        private readonly string _ownPeerId;
        private readonly MemberRegistry _registry;
        private readonly Redialer _redialer;
        private readonly int _maxMembers;
        private readonly Action<Member> _expel;
        private readonly Action _ownNameLost;
        private readonly object _gate = new object();
        private readonly HashSet<string> _announced = new HashSet<string>(StringComparer.Ordinal);

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
            if (!isNew || WasAnnounced(member.PeerId)) return;
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

            Remember(announced);
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

        private bool WasAnnounced(string peerId)
        {
            lock (_gate) return _announced.Contains(peerId);
        }

        private void Remember(IReadOnlyList<MemberAnnouncement> announced)
        {
            lock (_gate)
            {
                // Bounded for a long session with churn: forgetting costs only a repeated announcement, never a missing one.
                if (_announced.Count + announced.Count > 4 * _maxMembers) _announced.Clear();
                foreach (var entry in announced) _announced.Add(entry.PeerId);
            }
        }

        private static MemberAnnouncement Announce(Member m) => m.Announcement;
    }
}
