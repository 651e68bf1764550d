namespace PSGroupChat.Discovery
{
    /// <summary>The DNS record types that service discovery over multicast DNS uses (RFC 6762, RFC 6763).</summary>
    internal enum DnsRecordType : ushort
    {
        /// <summary>An IPv4 address of a host.</summary>
        A = 1,

        /// <summary>A pointer from a service type to one instance of it (browsing).</summary>
        Ptr = 12,

        /// <summary>Key=value strings that describe a service instance.</summary>
        Txt = 16,

        /// <summary>An IPv6 address of a host.</summary>
        Aaaa = 28,

        /// <summary>Where an instance listens: host name and port.</summary>
        Srv = 33,

        /// <summary>Which types a name has; mDNS answers with it to say "no record of the type you asked for".</summary>
        Nsec = 47,

        /// <summary>A question for every type (what a probe asks).</summary>
        Any = 255,
    }
}
