using System;
using System.Linq;
using System.Net;
using CsCheck;
using PSGroupChat.Discovery;

namespace PSGroupChat.Tests.Discovery
{
    /// <summary>Generators of DNS messages within the limits, so that every generated message can be written.</summary>
    internal static class DnsGen
    {
        /// <summary>A label of 1 to 20 characters, dots, backslashes and non-ASCII included (at most 60 UTF-8 bytes).</summary>
        public static readonly Gen<string> Label =
            Gen.OneOf(Gen.Char["abcxyz-_.\\ 0123456789"], Gen.Char['\u00e0', '\u00ff'], Gen.Char['\u4e00', '\u4e0f'])
                .Array[1, 20].Select(chars => new string(chars));

        /// <summary>A name of 1 to 4 labels ending in one of a few shared suffixes, so that compression has work to do.</summary>
        public static readonly Gen<string> Name =
            Gen.Select(Label.Array[0, 3], Gen.OneOf(Gen.Const("_psgroupchat._tcp.local"), Gen.Const("local"), Gen.Const("lobby.local"), Label.Select(DnsName.Escape)),
                (labels, suffix) => string.Join(".", labels.Select(DnsName.Escape).Append(suffix)));

        private static readonly Gen<uint> Ttl = Gen.OneOf(Gen.Const(0u), Gen.Const(120u), Gen.Const(4500u), Gen.UInt);

        private static readonly Gen<IPAddress> Address = Gen.OneOf(
            Gen.Byte.Array[4].Select(b => new IPAddress(b)),
            Gen.Byte.Array[16].Select(b => new IPAddress(b)));

        private static readonly Gen<string> TxtString =
            Gen.OneOf(Gen.Const("v=2"), Gen.Const("secret=1"), Gen.String[Gen.Char.AlphaNumeric, 1, 60], Gen.Char['\u0400', '\u04ff'].Array[1, 40].Select(c => new string(c)));

        /// <summary>Any record this code reads and writes.</summary>
        public static readonly Gen<DnsRecord> Record = Gen.OneOf<DnsRecord>(
            Gen.Select(Name, Ttl, Name, (n, t, target) => (DnsRecord)new PtrRecord(n, t, target)),
            Gen.Select(Name, Gen.Bool, Ttl, Gen.UShort, Gen.UShort, Gen.UShort, Name, (n, f, t, pr, w, p, target) => (DnsRecord)new SrvRecord(n, f, t, pr, w, p, target)),
            Gen.Select(Name, Gen.Bool, Ttl, TxtString.Array[0, 5], (n, f, t, s) => (DnsRecord)new TxtRecord(n, f, t, s)),
            Gen.Select(Name, Gen.Bool, Ttl, Address, (n, f, t, a) => (DnsRecord)new AddressRecord(n, f, t, a)));

        private static readonly Gen<DnsQuestion> Question =
            Gen.Select(Name, Gen.OneOf(Gen.Const(DnsRecordType.Ptr), Gen.Const(DnsRecordType.Any), Gen.Const(DnsRecordType.Srv)), Gen.Bool,
                (n, t, u) => new DnsQuestion(n, t, u));

        /// <summary>A whole message: up to 4 questions and up to 6 records in each section.</summary>
        public static readonly Gen<DnsMessage> Message =
            Gen.Select(Gen.Bool, Question.Array[0, 4], Record.Array[0, 6], Record.Array[0, 6], Record.Array[0, 6], Gen.UShort,
                (response, q, an, ns, ar, id) => new DnsMessage(response, q, an, ns, ar, id));
    }
}
