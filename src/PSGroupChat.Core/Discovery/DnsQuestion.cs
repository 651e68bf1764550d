namespace PSGroupChat.Discovery
{
    /// <summary>
    /// A question of a DNS message. <paramref name="UnicastResponse"/> is mDNS's top bit of the class field: the asker
    /// would like the answer sent to it alone (RFC 6762 §5.4), as a probe does.
    /// </summary>
    internal sealed record DnsQuestion(string Name, DnsRecordType Type, bool UnicastResponse = false);
}
