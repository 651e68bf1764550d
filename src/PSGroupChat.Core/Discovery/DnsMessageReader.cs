using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// Decodes one datagram into a <see cref="DnsMessage"/>, strictly: every length is checked against what is left and
    /// against <see cref="DnsLimits"/> before it is used, compression pointers may only point backwards and only so many
    /// times, and anything malformed throws <see cref="DnsFormatException"/> for the whole datagram. Records of types
    /// and classes this code does not use are skipped, not refused, so that other services on the LAN cost nothing.
    /// </summary>
    internal ref struct DnsMessageReader
    {
        private const int HeaderBytes = 12;
        private const int ClassInternet = 1;
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        private readonly ReadOnlySpan<byte> _packet;
        private int _at;

        private DnsMessageReader(ReadOnlySpan<byte> packet)
        {
            _packet = packet;
            _at = 0;
        }

        /// <summary>The message in <paramref name="packet"/>; throws <see cref="DnsFormatException"/> when it is not one.</summary>
        public static DnsMessage Read(ReadOnlySpan<byte> packet)
        {
            if (packet.Length > DnsLimits.MaxMessage) throw new DnsFormatException($"a datagram of {packet.Length} bytes is larger than {DnsLimits.MaxMessage}");
            if (packet.Length < HeaderBytes) throw new DnsFormatException($"a datagram of {packet.Length} bytes has no room for the header");
            var reader = new DnsMessageReader(packet);
            ushort id = reader.UInt16();
            ushort flags = reader.UInt16();
            if ((flags & 0x000F) != 0) return Empty(id, flags); // RFC 6762 §18.11: a message with a non-zero rcode is ignored
            int questions = reader.UInt16(), answers = reader.UInt16(), authorities = reader.UInt16(), additionals = reader.UInt16();
            int entries = questions + answers + authorities + additionals;
            if (entries > DnsLimits.MaxEntries) throw new DnsFormatException($"the header announces {entries} entries, more than {DnsLimits.MaxEntries}");
            // The smallest question is 5 bytes, the smallest record 11: a header that promises more cannot be honest.
            if (questions * 5 + (entries - questions) * 11 > packet.Length - HeaderBytes) throw new DnsFormatException("the header announces more entries than the datagram can hold");
            var questionList = new List<DnsQuestion>(questions);
            for (int i = 0; i < questions; i++) questionList.Add(reader.Question());
            var message = new DnsMessage((flags & 0x8000) != 0, questionList, reader.Records(answers), reader.Records(authorities), reader.Records(additionals), id);
            if (reader._at != packet.Length) throw new DnsFormatException($"{packet.Length - reader._at} bytes follow the last record");
            return message;
        }

        private static DnsMessage Empty(ushort id, ushort flags) =>
            new DnsMessage((flags & 0x8000) != 0, Array.Empty<DnsQuestion>(), Array.Empty<DnsRecord>(), Array.Empty<DnsRecord>(), Array.Empty<DnsRecord>(), id);

        private DnsQuestion Question()
        {
            string name = Name();
            var type = (DnsRecordType)UInt16();
            int klass = UInt16();
            return new DnsQuestion(name, type, (klass & 0x8000) != 0);
        }

        private List<DnsRecord> Records(int count)
        {
            var records = new List<DnsRecord>(count);
            for (int i = 0; i < count; i++)
            {
                var record = Record();
                if (record != null) records.Add(record);
            }
            return records;
        }

        private DnsRecord? Record()
        {
            string name = Name();
            var type = (DnsRecordType)UInt16();
            int klass = UInt16();
            uint ttl = UInt32();
            int length = UInt16();
            Need(length, "record data");
            int end = _at + length;
            bool flush = (klass & 0x8000) != 0;
            if ((klass & 0x7FFF) != ClassInternet)
            {
                _at = end;
                return null;
            }
            DnsRecord? record;
            switch (type)
            {
                case DnsRecordType.A:
                case DnsRecordType.Aaaa:
                    int size = type == DnsRecordType.A ? 4 : 16;
                    if (length != size) throw new DnsFormatException($"an {type} record of {length} bytes at offset {_at}");
                    record = new AddressRecord(name, flush, ttl, new IPAddress(Bytes(size).ToArray()));
                    break;
                case DnsRecordType.Ptr:
                    record = new PtrRecord(name, ttl, Name());
                    break;
                case DnsRecordType.Srv:
                    ushort priority = UInt16(), weight = UInt16(), port = UInt16();
                    record = new SrvRecord(name, flush, ttl, priority, weight, port, Name());
                    break;
                case DnsRecordType.Txt:
                    record = new TxtRecord(name, flush, ttl, TxtStrings(end));
                    break;
                default:
                    _at = end;
                    return null;
            }
            if (_at != end) throw new DnsFormatException($"a {type} record's data ends at offset {_at}, not at {end} as its length says");
            return record;
        }

        private List<string> TxtStrings(int end)
        {
            var strings = new List<string>();
            while (_at < end)
            {
                if (strings.Count == DnsLimits.MaxTxtStrings) throw new DnsFormatException($"a TXT record with more than {DnsLimits.MaxTxtStrings} strings");
                int length = _packet[_at++];
                if (_at + length > end) throw new DnsFormatException($"a TXT string at offset {_at - 1} runs past its record");
                // TXT values may be binary (RFC 6763 §6.5): decoded leniently, as they are only ever compared.
                if (length > 0) strings.Add(Encoding.UTF8.GetString(Bytes(length).ToArray()));
            }
            return strings;
        }

        /// <summary>A name at the current offset, following compression pointers backwards at most a bounded number of times.</summary>
        private string Name()
        {
            var labels = new List<string>();
            int wireBytes = 1, hops = 0, at = _at, resume = -1;
            while (true)
            {
                if (at >= _packet.Length) throw new DnsFormatException($"a name runs past the end of the datagram at offset {at}");
                int length = _packet[at];
                if (length == 0)
                {
                    at++;
                    break;
                }
                if ((length & 0xC0) == 0xC0)
                {
                    if (at + 1 >= _packet.Length) throw new DnsFormatException($"a compression pointer at offset {at} is cut off");
                    int target = ((length & 0x3F) << 8) | _packet[at + 1];
                    // Strictly backwards, so that no chain of pointers can loop.
                    if (target >= at) throw new DnsFormatException($"a compression pointer at offset {at} points forward to {target}");
                    if (++hops > DnsLimits.MaxPointerHops) throw new DnsFormatException($"a name follows more than {DnsLimits.MaxPointerHops} compression pointers");
                    if (resume < 0) resume = at + 2;
                    at = target;
                    continue;
                }
                if ((length & 0xC0) != 0) throw new DnsFormatException($"a label at offset {at} has the reserved length bits 0x{length & 0xC0:X2}");
                wireBytes += 1 + length;
                if (wireBytes > DnsLimits.MaxNameBytes) throw new DnsFormatException($"a name longer than {DnsLimits.MaxNameBytes} bytes at offset {_at}");
                if (at + 1 + length > _packet.Length) throw new DnsFormatException($"a label at offset {at} runs past the end of the datagram");
                try
                {
                    labels.Add(StrictUtf8.GetString(_packet.Slice(at + 1, length).ToArray()));
                }
                catch (DecoderFallbackException)
                {
                    throw new DnsFormatException($"a label at offset {at} is not UTF-8");
                }
                at += 1 + length;
            }
            _at = resume >= 0 ? resume : at;
            return DnsName.Join(labels);
        }

        private ushort UInt16()
        {
            var bytes = Bytes(2);
            return (ushort)((bytes[0] << 8) | bytes[1]);
        }

        private uint UInt32()
        {
            var bytes = Bytes(4);
            return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        }

        private ReadOnlySpan<byte> Bytes(int count)
        {
            Need(count, "field");
            var bytes = _packet.Slice(_at, count);
            _at += count;
            return bytes;
        }

        private void Need(int count, string what)
        {
            if (count > _packet.Length - _at) throw new DnsFormatException($"a {what} of {count} bytes at offset {_at} runs past the end of the datagram");
        }
    }
}
