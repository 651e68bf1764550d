using PSGroupChat.Transport;

namespace PSGroupChat.Membership
{
    /// <summary>Why this session will not take a peer as a member: a refuse code and a reason, both sent to it.</summary>
    internal readonly record struct Refusal(string Code, string Reason);

    /// <summary>
    /// What <see cref="MemberRegistry"/> decided about a peer that completed its handshake: a member (new, or with its
    /// link replaced), a duplicate of a link already kept, or a refusal; and a member to expel for the name, if any.
    /// </summary>
    internal sealed record Admission(Member? Member, bool IsNew, PeerLink? Replaced, Member? Expel, Refusal? Refusal, bool Duplicate)
    {
        public static Admission Refused(Refusal refusal) => new Admission(null, false, null, null, refusal, false);

        public static readonly Admission DuplicateLink = new Admission(null, false, null, null, null, true);
    }
}
