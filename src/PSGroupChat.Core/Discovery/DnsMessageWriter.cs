using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// Encodes a <see cref="DnsMessage"/> as one datagram, compressing repeated name suffixes (RFC 1035 §4.1.4) so that a
    /// room's PTR, SRV, TXT and address records fit a small packet. Throws <see cref="ArgumentException"/> for a name or
    /// message beyond <see cref="DnsLimits"/>: the session builds its own announcements, so that is a bug, not input.
    /// </summary>
    internal sealed class DnsMessageWriter
    {
        private const int MaxPointerTarget = 0x3FFF;

        private readonly MemoryStream _packet = new MemoryStream(512);
        private readonly Dictionary<string, int> _suffixes = new Dictionary<string, int>(DnsName.Comparer);

        private DnsMessageWriter()
        {
        }

        /// <summary>The datagram of <paramref name="message"/>.</summary>
        public static byte[] Write(DnsMessage message)
        {
            if (message == null) throw new ArgumentNullException(nameof(message));
            int entries = message.Questions.Count + message.Answers.Count + message.Authorities.Count + message.Additionals.Count;
            if (entries > DnsLimits.MaxEntries) throw new ArgumentException($"A DNS message of {entries} entries is more than {DnsLimits.MaxEntries}.", nameof(message));
            var writer = new DnsMessageWriter();
            writer.UInt16(message.Id);
            writer.UInt16(message.IsResponse ? (ushort)0x8400 : (ushort)0); // a response is authoritative (RFC 6762 §18.4)
            writer.UInt16((ushort)message.Questions.Count);
            writer.UInt16((ushort)message.Answers.Count);
            writer.UInt16((ushort)message.Authorities.Count);
            writer.UInt16((ushort)message.Additionals.Count);
            foreach (var question in message.Questions)
            {
                writer.Name(question.Name);
                writer.UInt16((ushort)question.Type);
                writer.UInt16((ushort)(question.UnicastResponse ? 0x8001 : 0x0001));
            }
            foreach (var record in message.Records) writer.Record(record);
            if (writer._packet.Length > DnsLimits.MaxMessage) throw new ArgumentException($"A DNS message of {writer._packet.Length} bytes is larger than {DnsLimits.MaxMessage}.", nameof(message));
            return writer._packet.ToArray();
        }

        private void Record(DnsRecord record)
        {
            Name(record.Name);
            UInt16((ushort)record.Type);
            UInt16((ushort)(record.CacheFlush ? 0x8001 : 0x0001));
            UInt32(record.Ttl);
            long lengthAt = _packet.Position;
            UInt16(0); // filled in below, once the data's length is known
            long start = _packet.Position;
            switch (record)
            {
                case AddressRecord address:
                    var bytes = address.Address.GetAddressBytes();
                    _packet.Write(bytes, 0, bytes.Length);
                    break;
                case PtrRecord ptr:
                    Name(ptr.Target);
                    break;
                case SrvRecord srv:
                    UInt16(srv.Priority);
                    UInt16(srv.Weight);
                    UInt16(srv.Port);
                    Name(srv.Target);
                    break;
                case TxtRecord txt:
                    if (txt.Strings.Count > DnsLimits.MaxTxtStrings) throw new ArgumentException($"A TXT record of more than {DnsLimits.MaxTxtStrings} strings.", nameof(record));
                    if (txt.Strings.Count == 0) _packet.WriteByte(0); // RFC 6763 §6.1: never empty data, one empty string instead
                    foreach (var text in txt.Strings) TxtString(text);
                    break;
                default:
                    throw new ArgumentException($"A {record.GetType().Name} cannot be written.", nameof(record));
            }
            long length = _packet.Position - start;
            _packet.Position = lengthAt;
            UInt16((ushort)length);
            _packet.Position = _packet.Length;
        }

        private void TxtString(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            if (bytes.Length == 0 || bytes.Length > 255) throw new ArgumentException($"A TXT string must be 1 to 255 bytes, not {bytes.Length}.", nameof(text));
            _packet.WriteByte((byte)bytes.Length);
            _packet.Write(bytes, 0, bytes.Length);
        }

        /// <summary>Writes a name, pointing to an earlier copy of its longest known suffix and remembering its new ones.</summary>
        private void Name(string name)
        {
            var labels = DnsName.Labels(name);
            for (int i = 0; i < labels.Count; i++)
            {
                string suffix = DnsName.Join(labels.GetRange(i, labels.Count - i));
                if (_suffixes.TryGetValue(suffix, out int offset))
                {
                    UInt16((ushort)(0xC000 | offset));
                    return;
                }
                if (_packet.Position <= MaxPointerTarget) _suffixes[suffix] = (int)_packet.Position;
                var bytes = Encoding.UTF8.GetBytes(labels[i]);
                _packet.WriteByte((byte)bytes.Length);
                _packet.Write(bytes, 0, bytes.Length);
            }
            _packet.WriteByte(0);
        }

        private void UInt16(ushort value)
        {
            _packet.WriteByte((byte)(value >> 8));
            _packet.WriteByte((byte)value);
        }

        private void UInt32(uint value)
        {
            UInt16((ushort)(value >> 16));
            UInt16((ushort)value);
        }
    }
}
