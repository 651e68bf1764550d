using System;
using System.Text;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Reads the fields of one payload in order, big-endian, each read checked against the bytes left and each length
    /// against its limit before anything is allocated. Every failure is a <see cref="WireProtocolException"/> naming the
    /// field; <see cref="End"/> insists that nothing follows the last field.
    /// </summary>
    internal ref struct WireReader
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        private readonly ReadOnlySpan<byte> _payload;
        private readonly string _frame;
        private int _at;

        /// <param name="payload">The payload after its type byte.</param>
        /// <param name="frame">The frame's name, for error messages.</param>
        public WireReader(ReadOnlySpan<byte> payload, string frame)
        {
            _payload = payload;
            _frame = frame;
            _at = 0;
        }

        public int Remaining => _payload.Length - _at;

        public ReadOnlySpan<byte> Bytes(int count, string field)
        {
            if (count > Remaining) throw Violation($"the '{_frame}' frame ends inside its {field}");
            var bytes = _payload.Slice(_at, count);
            _at += count;
            return bytes;
        }

        public byte Byte(string field) => Bytes(1, field)[0];

        public int UInt16(string field)
        {
            var b = Bytes(2, field);
            return (b[0] << 8) | b[1];
        }

        public uint UInt32(string field)
        {
            var b = Bytes(4, field);
            return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
        }

        public long Int64(string field)
        {
            var b = Bytes(8, field);
            ulong value = 0;
            for (int i = 0; i < 8; i++) value = (value << 8) | b[i];
            return (long)value;
        }

        /// <summary>An unsigned 64-bit count that must lie in <paramref name="min"/>..long.MaxValue.</summary>
        public long Count64(string field, long min)
        {
            long value = Int64(field);
            if (value < min) throw Violation($"the {field} of a '{_frame}' frame must be from {min} to 2^63-1");
            return value;
        }

        public long UnixMs(string field)
        {
            long value = Int64(field);
            if (value < WireLimits.MinUnixMs || value > WireLimits.MaxUnixMs)
                throw Violation($"the {field} of a '{_frame}' frame must be Unix milliseconds between the years 1 and 9999");
            return value;
        }

        public int Port(string field)
        {
            int port = UInt16(field);
            if (port == 0) throw Violation($"the {field} of a '{_frame}' frame must be a port from 1 to 65535");
            return port;
        }

        public string PeerId(string field) => PeerIds.Read(Bytes(WireLimits.PeerIdBytes, field));

        /// <summary>A byte string whose one-byte length must be 0 or <paramref name="size"/>.</summary>
        public byte[] EmptyOr(int size, string field)
        {
            int length = Length(1, field);
            if (length != 0 && length != size) throw Violation($"the {field} of a '{_frame}' frame must be empty or {size} bytes, not {length}");
            return length == 0 ? Array.Empty<byte>() : Bytes(length, field).ToArray();
        }

        /// <summary>UTF-8 text behind a one-byte length (str8).</summary>
        public string String8(string field, int maxBytes) => Utf8(Length(1, field), field, maxBytes);

        /// <summary>A name behind a one-byte length (str8), as <see cref="String8"/>, but one read lately on this thread comes back as the same string.</summary>
        public string Name8(string field, int maxBytes)
        {
            int length = Length(1, field);
            if (length > maxBytes || length > Remaining) return Utf8(length, field, maxBytes); // fails, and says why
            var bytes = _payload.Slice(_at, length);
            var known = RecentNames.Find(bytes, out int slot);
            if (known != null)
            {
                _at += length;
                return known;
            }
            var text = Utf8(length, field, maxBytes);
            RecentNames.Keep(bytes, text, slot);
            return text;
        }

        /// <summary>UTF-8 text behind a two-byte length (str16).</summary>
        public string String16(string field, int maxBytes) => Utf8(Length(2, field), field, maxBytes);

        /// <summary>
        /// The one- or two-byte length in front of <paramref name="field"/>. Its name ("text length") is only made for
        /// the error: every message has a text, and the name would cost a string per message.
        /// </summary>
        private int Length(int size, string field)
        {
            if (size > Remaining) throw Violation($"the '{_frame}' frame ends inside its {field} length");
            var b = _payload.Slice(_at, size);
            _at += size;
            return size == 1 ? b[0] : (b[0] << 8) | b[1];
        }

        /// <summary>A count of list entries, checked against its limit and against what the rest of the frame can hold.</summary>
        public int ListCount(int count, int minEntryBytes, int max, string field)
        {
            if (count > max) throw Violation($"a '{_frame}' frame of {count} {field} exceeds the limit of {max}");
            if ((long)count * minEntryBytes > Remaining) throw Violation($"a '{_frame}' frame claims {count} {field} but has room for {Remaining / minEntryBytes}");
            return count;
        }

        /// <summary>Fails unless every byte of the payload was read.</summary>
        public void End()
        {
            if (Remaining != 0) throw Violation($"{Remaining} bytes follow the last field of a '{_frame}' frame");
        }

        public WireProtocolException Violation(string message) => new WireProtocolException(message);

        private unsafe string Utf8(int length, string field, int maxBytes)
        {
            if (length > maxBytes) throw Violation($"the {field} of a '{_frame}' frame is {length} bytes; at most {maxBytes} are allowed");
            var bytes = Bytes(length, field);
            if (length == 0) return string.Empty;
            try
            {
                fixed (byte* p = bytes) return StrictUtf8.GetString(p, length);
            }
            catch (DecoderFallbackException)
            {
                throw Violation($"the {field} of a '{_frame}' frame is not valid UTF-8");
            }
        }
    }
}
