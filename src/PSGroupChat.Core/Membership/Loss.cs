namespace PSGroupChat.Membership
{
    /// <summary>How a member went, as <see cref="MemberRegistry.Remove"/> decided: why, and whether to re-dial it.</summary>
    internal readonly record struct Loss(Departure Departure, bool Redial);
}
