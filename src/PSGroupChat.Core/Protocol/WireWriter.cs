using System;
using System.Buffers;
using System.Text;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Writes one frame into an array sized for it beforehand: the length prefix, then the fields in order, big-endian.
    /// The encoder measures a frame first so the finished frame is the only allocation (or, from a pool, none).
    /// </summary>
    internal struct WireWriter
    {
        internal static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

        private readonly byte[] _frame;
        private readonly int _end;
        private int _at;

        /// <summary>
        /// Starts a frame whose payload (type byte included) is <paramref name="payloadLength"/> bytes, in an array of
        /// exactly its size, or in one rented from <paramref name="pool"/> (which may be longer: the prefix says where it ends).
        /// </summary>
        public WireWriter(FrameType type, int payloadLength, ArrayPool<byte>? pool = null)
        {
            _end = FrameReader.PrefixSize + payloadLength;
            _frame = pool?.Rent(_end) ?? new byte[_end];
            _frame[0] = (byte)(payloadLength >> 24);
            _frame[1] = (byte)(payloadLength >> 16);
            _frame[2] = (byte)(payloadLength >> 8);
            _frame[3] = (byte)payloadLength;
            _frame[4] = (byte)type;
            _at = FrameReader.PrefixSize + 1;
        }

        public void Byte(int value) => _frame[_at++] = (byte)value;

        public void UInt16(int value)
        {
            _frame[_at++] = (byte)(value >> 8);
            _frame[_at++] = (byte)value;
        }

        public void UInt32(uint value)
        {
            _frame[_at++] = (byte)(value >> 24);
            _frame[_at++] = (byte)(value >> 16);
            _frame[_at++] = (byte)(value >> 8);
            _frame[_at++] = (byte)value;
        }

        public void Int64(long value)
        {
            for (int shift = 56; shift >= 0; shift -= 8) _frame[_at++] = (byte)(value >> shift);
        }

        public void Bytes(byte[] bytes)
        {
            Buffer.BlockCopy(bytes, 0, _frame, _at, bytes.Length);
            _at += bytes.Length;
        }

        public void PeerId(string peerId)
        {
            PeerIds.Write(peerId, _frame.AsSpan(_at, WireLimits.PeerIdBytes));
            _at += WireLimits.PeerIdBytes;
        }

        /// <summary>A byte string behind a one-byte length.</summary>
        public void Bytes8(byte[] bytes)
        {
            Byte(bytes.Length);
            Bytes(bytes);
        }

        /// <summary>Text behind a one-byte length; <paramref name="byteCount"/> from <see cref="Measure"/>.</summary>
        public void String8(string text, int byteCount)
        {
            Byte(byteCount);
            Text(text, byteCount);
        }

        /// <summary>Text behind a two-byte length; <paramref name="byteCount"/> from <see cref="Measure"/>.</summary>
        public void String16(string text, int byteCount)
        {
            UInt16(byteCount);
            Text(text, byteCount);
        }

        /// <summary>The finished frame; the writer must have filled it exactly.</summary>
        public byte[] Finish()
        {
            if (_at != _end) throw new InvalidOperationException($"the encoder measured {_end} bytes but wrote {_at}");
            return _frame;
        }

        /// <summary>How many UTF-8 bytes <paramref name="text"/> takes, which must be at most <paramref name="maxBytes"/>.</summary>
        public static int Measure(string text, int maxBytes, string field)
        {
            int count = Utf8.GetByteCount(text);
            if (count > maxBytes) throw new ArgumentException($"The {field} is {count} bytes in UTF-8; at most {maxBytes} fit in a frame.", field);
            return count;
        }

        /// <summary>
        /// <paramref name="text"/> cut to at most <paramref name="maxBytes"/> bytes of UTF-8 at a character boundary,
        /// for text of our own, like a leave reason, where a shorter one is better than none.
        /// </summary>
        public static string Cut(string text, int maxBytes)
        {
            if (text.Length <= maxBytes / 3 || Utf8.GetByteCount(text) <= maxBytes) return text;
            int length = Math.Min(text.Length, maxBytes);
            while (length > 0 && Utf8.GetByteCount(text.ToCharArray(0, length)) > maxBytes) length--;
            if (length > 0 && char.IsHighSurrogate(text[length - 1])) length--;
            return text.Substring(0, length);
        }

        private void Text(string text, int byteCount)
        {
            if (byteCount == 0) return;
            _at += Utf8.GetBytes(text, 0, text.Length, _frame, _at);
        }
    }
}
