using PSGroupChat.Protocol;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// What a peer id and user name from the wire must be: a hello and a member list are held to the same rule, because
    /// both make this session link to the peer they name.
    /// </summary>
    internal static class PeerRule
    {
        /// <summary>Throws <see cref="WireProtocolException"/> for a peer no honest member could be; <paramref name="who"/> says whose.</summary>
        public static void Check(string peerId, string userName, string who)
        {
            if (!PeerIds.IsValid(peerId)) throw new WireProtocolException($"{who}'s peer id must be 32 lowercase hex digits");
            var problem = ChatLimits.UserNameProblem(userName);
            if (problem != null) throw new WireProtocolException($"{who} has a bad user name: " + problem);
        }
    }
}
