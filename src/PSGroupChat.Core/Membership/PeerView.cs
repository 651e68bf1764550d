using System;

namespace PSGroupChat.Membership
{
    /// <summary>Members as the public <see cref="ChatPeer"/> rows that Get-ChatPeer shows.</summary>
    internal static class PeerView
    {
        public static ChatPeer Linked(string sessionUser, Member m, DateTimeOffset lastHeard) =>
            new ChatPeer(sessionUser, m.UserName, m.PeerId, m.Endpoint, m.Link.Direction, m.LinkedSince, lastHeard, PeerState.Connected,
                m.Link.Encrypted, m.Link.RemoteKey == null ? null : Security.KeyFingerprint.Format(m.Link.RemoteKey));

        public static ChatPeer Reconnecting(string sessionUser, LostMember r) =>
            new ChatPeer(sessionUser, r.UserName, r.PeerId, r.Endpoint, PeerDirection.Outbound, r.LostAt, r.LostAt, PeerState.Reconnecting);
    }
}
