namespace PSGroupChat.Membership
{
    /// <summary>How one handshake ended.</summary>
    internal abstract record HandshakeResult
    {
        /// <summary>The peer is a member now (new, or its link replaced); <see cref="Expel"/> lost its name to it.</summary>
        public sealed record Admitted(Member Member, bool IsNew, Member? Expel) : HandshakeResult;

        /// <summary>The other side keeps another link with this peer (one it dialed, or an earlier one).</summary>
        public sealed record Duplicate(string PeerId) : HandshakeResult;

        /// <summary>One side refused the other (name, secret, limit); <see cref="Error"/> says so in the chat's terms.</summary>
        public sealed record Refused(ChatException Error) : HandshakeResult;

        /// <summary>The handshake broke off (timeout, protocol violation, closed connection, stopping).</summary>
        public sealed record Failed(ChatException Error) : HandshakeResult;
    }
}
