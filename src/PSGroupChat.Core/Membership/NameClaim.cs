namespace PSGroupChat.Membership
{
    /// <summary>
    /// One peer's claim to a user name: the first session to start keeps it, and on a tie the lower peer id. Every member
    /// compares the same two values, so all of them reach the same verdict without talking it over. The one rule for
    /// both the handshake and gossip.
    /// </summary>
    internal readonly record struct NameClaim(string PeerId, long Since)
    {
        public bool Precedes(NameClaim other) =>
            Since != other.Since ? Since < other.Since : string.CompareOrdinal(PeerId, other.PeerId) < 0;
    }

    /// <summary>Whether a newcomer may hold the user name it claims, against this session and its members.</summary>
    internal enum NameVerdict
    {
        /// <summary>Nobody else here claims the name.</summary>
        Free,

        /// <summary>The newcomer claims this session's own name and the earlier claim is the newcomer's: this session must leave.</summary>
        OwnNameLost,

        /// <summary>This session, or a member, holds the earlier claim: the newcomer may not have the name.</summary>
        Taken,

        /// <summary>A member holds the name with a later claim than the newcomer's: that member must be expelled.</summary>
        HolderLoses,
    }
}
