namespace PSGroupChat.Protocol
{
    /// <summary>
    /// What one member tells another about a third: enough to dial it and to check its name. <see cref="Since"/> is when
    /// the member's session started, in Unix microseconds (its clock): the first claim to a user name keeps it.
    /// </summary>
    internal sealed record MemberAnnouncement(string PeerId, string UserName, ChatEndpoint Endpoint, long Since);
}
