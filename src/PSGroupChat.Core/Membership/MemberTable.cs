using System;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// The members a session is linked to, by peer id and by user name. Not thread-safe: <see cref="MemberRegistry"/>
    /// guards it with its lock.
    /// </summary>
    internal sealed class MemberTable
    {
        private readonly Dictionary<string, Member> _byId = new Dictionary<string, Member>(StringComparer.Ordinal);

        // Indexed by name too: every entry of every member list is checked against it, so a linear search would make
        // forming a mesh of n peers cost n^3.
        private readonly Dictionary<string, Member> _byName = new Dictionary<string, Member>(StringComparer.OrdinalIgnoreCase);

        public int Count => _byId.Count;

        public bool TryGet(string peerId, out Member member) => _byId.TryGetValue(peerId, out member!);

        public Member? FindByName(string userName) => _byName.TryGetValue(userName, out var member) ? member : null;

        public void Add(Member member)
        {
            _byId[member.PeerId] = member;
            // Two members may briefly share a name until the conflict is settled; the index keeps the first.
            if (!_byName.ContainsKey(member.UserName)) _byName[member.UserName] = member;
        }

        public bool Remove(Member member)
        {
            if (!_byId.TryGetValue(member.PeerId, out var current) || current != member) return false;
            _byId.Remove(member.PeerId);
            if (_byName.TryGetValue(member.UserName, out var named) && named == member)
            {
                _byName.Remove(member.UserName);
                var other = _byId.Values.FirstOrDefault(m => ChatLimits.SameName(m.UserName, member.UserName));
                if (other != null) _byName[other.UserName] = other;
            }
            return true;
        }

        public Member[] Snapshot() => _byId.Values.ToArray();
    }
}
