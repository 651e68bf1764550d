using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// A resource record of a DNS message. <paramref name="CacheFlush"/> is mDNS's top bit of the class field: this
    /// record replaces every cached one of its name and type (RFC 6762 §10.2). A <paramref name="Ttl"/> of 0 is a goodbye.
    /// </summary>
    internal abstract record DnsRecord(string Name, DnsRecordType Type, bool CacheFlush, uint Ttl)
    {
        /// <summary>The same record with another time to live; 0 makes it a goodbye.</summary>
        public DnsRecord WithTtl(uint ttl) => this with { Ttl = ttl };
    }

    /// <summary>A service type's pointer to one of its instances.</summary>
    internal sealed record PtrRecord(string Name, uint Ttl, string Target) : DnsRecord(Name, DnsRecordType.Ptr, false, Ttl);

    /// <summary>Where a service instance listens.</summary>
    internal sealed record SrvRecord(string Name, bool CacheFlush, uint Ttl, ushort Priority, ushort Weight, ushort Port, string Target)
        : DnsRecord(Name, DnsRecordType.Srv, CacheFlush, Ttl);

    /// <summary>An instance's key=value strings, each at most 255 bytes of UTF-8.</summary>
    internal sealed record TxtRecord(string Name, bool CacheFlush, uint Ttl, IReadOnlyList<string> Strings)
        : DnsRecord(Name, DnsRecordType.Txt, CacheFlush, Ttl)
    {
        /// <summary>Records compare their strings, not the list's identity.</summary>
        public bool Equals(TxtRecord? other) =>
            other is not null && base.Equals(other) && Strings.SequenceEqual(other.Strings, StringComparer.Ordinal);

        /// <inheritdoc />
        public override int GetHashCode() => base.GetHashCode() * 31 + Strings.Count;
    }

    /// <summary>An address of a host: A for IPv4, AAAA for IPv6.</summary>
    internal sealed record AddressRecord(string Name, bool CacheFlush, uint Ttl, IPAddress Address)
        : DnsRecord(Name, Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A, CacheFlush, Ttl);
}
