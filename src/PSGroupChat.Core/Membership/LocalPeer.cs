namespace PSGroupChat.Membership
{
    /// <summary>This session as the other members see it: what its hello says.</summary>
    internal sealed record LocalPeer(string PeerId, string UserName, int ListenPort, long Since)
    {
        public NameClaim Claim => new NameClaim(PeerId, Since);

        /// <summary>The side with the lower peer id arbitrates which link between two peers is kept.</summary>
        public bool IsArbiterFor(string remotePeerId) => string.CompareOrdinal(PeerId, remotePeerId) < 0;
    }
}
