namespace PSGroupChat.Protocol
{
    /// <summary>
    /// What one member tells another about a third: enough to dial it and to check its name and key. <see cref="Since"/>
    /// is when the member's session started, in Unix microseconds (its clock): the first claim to a user name keeps it.
    /// <see cref="Fingerprint"/> is the SHA-256 of its identity key, or empty where the announcer knows none.
    /// </summary>
    internal sealed record MemberAnnouncement(string PeerId, string UserName, ChatEndpoint Endpoint, long Since, byte[] Fingerprint)
    {
        public MemberAnnouncement(string peerId, string userName, ChatEndpoint endpoint, long since)
            : this(peerId, userName, endpoint, since, System.Array.Empty<byte>())
        {
        }
    }
}
