using System;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// The members a session is linked to, by peer id and by user name, and the rules that decide between two claims to
    /// one name. Not thread-safe: the session guards it with its own lock.
    /// </summary>
    internal sealed class MemberTable
    {
        private readonly Dictionary<string, Member> _byId = new Dictionary<string, Member>(StringComparer.Ordinal);

        public int Count => _byId.Count;

        public bool TryGet(string peerId, out Member member) => _byId.TryGetValue(peerId, out member!);

        public Member? FindByName(string userName) =>
            _byId.Values.FirstOrDefault(m => ChatLimits.SameName(m.UserName, userName));

        public void Add(Member member) => _byId[member.PeerId] = member;

        public bool Remove(Member member) => _byId.TryGetValue(member.PeerId, out var current) && current == member && _byId.Remove(member.PeerId);

        public List<Member> Snapshot() => _byId.Values.ToList();

        /// <summary>
        /// Which of two claims to one user name keeps it: the session that started first, and on a tie the lower peer id.
        /// Every member compares the same two values, so all of them reach the same verdict without talking it over.
        /// </summary>
        public static bool Precedes(long startedAtA, string peerIdA, long startedAtB, string peerIdB) =>
            startedAtA != startedAtB ? startedAtA < startedAtB : string.CompareOrdinal(peerIdA, peerIdB) < 0;

        /// <summary>The side with the lower peer id arbitrates which link between two peers is kept.</summary>
        public static bool IsArbiter(string ownId, string remoteId) => string.CompareOrdinal(ownId, remoteId) < 0;
    }
}
