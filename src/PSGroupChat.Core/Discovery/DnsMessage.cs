using System;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// One DNS message as multicast DNS uses it: a query (questions, and in a probe the records it means to claim as
    /// authorities) or a response (answers and additional records). The id is 0 on multicast (RFC 6762 §18.1).
    /// </summary>
    internal sealed record DnsMessage(
        bool IsResponse,
        IReadOnlyList<DnsQuestion> Questions,
        IReadOnlyList<DnsRecord> Answers,
        IReadOnlyList<DnsRecord> Authorities,
        IReadOnlyList<DnsRecord> Additionals,
        ushort Id = 0)
    {
        /// <summary>A query for <paramref name="questions"/>.</summary>
        public static DnsMessage Query(params DnsQuestion[] questions) =>
            new DnsMessage(false, questions, Array.Empty<DnsRecord>(), Array.Empty<DnsRecord>(), Array.Empty<DnsRecord>());

        /// <summary>An authoritative response carrying <paramref name="answers"/> and <paramref name="additionals"/>.</summary>
        public static DnsMessage Response(IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsRecord>? additionals = null) =>
            new DnsMessage(true, Array.Empty<DnsQuestion>(), answers, Array.Empty<DnsRecord>(), additionals ?? Array.Empty<DnsRecord>());

        /// <summary>Every record of the message, answers first.</summary>
        public IEnumerable<DnsRecord> Records => Answers.Concat(Authorities).Concat(Additionals);

        /// <summary>Messages compare their sections element by element.</summary>
        public bool Equals(DnsMessage? other) =>
            other is not null && IsResponse == other.IsResponse && Id == other.Id
            && Questions.SequenceEqual(other.Questions) && Answers.SequenceEqual(other.Answers)
            && Authorities.SequenceEqual(other.Authorities) && Additionals.SequenceEqual(other.Additionals);

        /// <inheritdoc />
        public override int GetHashCode() => (((Id * 31 + Questions.Count) * 31 + Answers.Count) * 31 + Additionals.Count) * 2 + (IsResponse ? 1 : 0);
    }
}
