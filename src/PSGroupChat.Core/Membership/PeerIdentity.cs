namespace PSGroupChat.Membership
{
    /// <summary>What a remote peer said about itself in its hello.</summary>
    internal sealed record PeerIdentity(string PeerId, string UserName, int ListenPort, long Since, byte[] Nonce)
    {
        /// <summary>Its claim to its user name, weighed by <see cref="NameClaim"/>.</summary>
        public NameClaim Claim => new NameClaim(PeerId, Since);
    }
}
