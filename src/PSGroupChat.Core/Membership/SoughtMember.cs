namespace PSGroupChat.Membership
{
    /// <summary>
    /// The member a dial is for (one lost, or one heard of in a member list), as opposed to a dial of an endpoint the user
    /// gave: such a dial links only that member, or a new incarnation of it under its name.
    /// </summary>
    internal sealed record SoughtMember(string PeerId, string UserName);
}
