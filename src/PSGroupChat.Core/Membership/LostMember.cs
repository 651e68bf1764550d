using System;

namespace PSGroupChat.Membership
{
    /// <summary>A member lost without a leave notice, being re-dialed.</summary>
    internal sealed record LostMember(string PeerId, string UserName, ChatEndpoint Endpoint, DateTimeOffset LostAt);
}
