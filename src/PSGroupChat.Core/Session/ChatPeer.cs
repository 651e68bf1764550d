using System;

namespace PSGroupChat
{
    /// <summary>Which side opened a member's connection.</summary>
    public enum PeerDirection
    {
        /// <summary>This session dialed the member.</summary>
        Outbound,

        /// <summary>The member dialed this session.</summary>
        Inbound,
    }

    /// <summary>Where a remote member stands from this session's point of view.</summary>
    public enum PeerState
    {
        /// <summary>Linked and exchanging messages.</summary>
        Connected,

        /// <summary>The link was lost without a leave notice; this session is re-dialing it.</summary>
        Reconnecting,
    }

    /// <summary>A snapshot of one remote member as this session knows it.</summary>
    public sealed class ChatPeer
    {
        internal ChatPeer(string sessionUser, string userName, string peerId, ChatEndpoint? endpoint, PeerDirection direction,
            DateTimeOffset connectedSince, DateTimeOffset lastSeen, PeerState state, bool encrypted = false, string? fingerprint = null)
        {
            Encrypted = encrypted;
            Fingerprint = fingerprint;
            SessionUser = sessionUser;
            UserName = userName;
            PeerId = peerId;
            Endpoint = endpoint;
            Direction = direction;
            ConnectedSince = connectedSince;
            LastSeen = lastSeen;
            State = state;
        }

        /// <summary>The user name of the session this view belongs to.</summary>
        public string SessionUser { get; }

        /// <summary>The member's user name, unique in the chat.</summary>
        public string UserName { get; }

        /// <summary>The member's peer id.</summary>
        public string PeerId { get; }

        /// <summary>The endpoint the member listens on, as this session reaches it.</summary>
        public ChatEndpoint? Endpoint { get; }

        /// <summary>Which side opened the link.</summary>
        public PeerDirection Direction { get; }

        /// <summary>When the current link was established.</summary>
        public DateTimeOffset ConnectedSince { get; }

        /// <summary>When the last frame from the member arrived.</summary>
        public DateTimeOffset LastSeen { get; }

        /// <summary>Connected or Reconnecting.</summary>
        public PeerState State { get; }

        /// <summary>Whether the link to the member runs in TLS; false for a plaintext link (and while reconnecting).</summary>
        public bool Encrypted { get; }

        /// <summary>The fingerprint of the identity key the member presented (<c>SHA256:…</c>); null in plaintext.</summary>
        public string? Fingerprint { get; }

        /// <inheritdoc />
        public override string ToString() => $"{UserName} ({Endpoint})";
    }
}
