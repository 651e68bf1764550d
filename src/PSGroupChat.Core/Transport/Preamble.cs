using System;
using System.Text;

namespace PSGroupChat.Transport
{
    /// <summary>
    /// The 8 bytes that open every connection of protocol 2, dialer first: <c>50 53 47 43 02 MM 00 00</c> ("PSGC",
    /// version 2, mode MM: 01 TLS, 00 plaintext, two zero bytes). Anything else is recognised as well as it can be: a
    /// frame of protocol 1 (a 4-byte length, then <c>{</c>) gets its own answer.
    /// </summary>
    internal static class Preamble
    {
        public const int Size = 8;
        public const byte Version = 2;
        public const byte TlsMode = 1;
        public const byte PlaintextMode = 0;

        public static byte[] Of(bool encrypted) => new byte[] { 0x50, 0x53, 0x47, 0x43, Version, encrypted ? TlsMode : PlaintextMode, 0, 0 };

        /// <summary>What 8 bytes read where a preamble should be say.</summary>
        public static PreambleKind Classify(byte[] bytes, out bool encrypted)
        {
            encrypted = false;
            if (bytes[0] == 0x50 && bytes[1] == 0x53 && bytes[2] == 0x47 && bytes[3] == 0x43)
            {
                if (bytes[4] != Version) return PreambleKind.OtherVersion;
                if (bytes[6] != 0 || bytes[7] != 0 || bytes[5] > TlsMode) return PreambleKind.Garbage;
                encrypted = bytes[5] == TlsMode;
                return PreambleKind.Version2;
            }
            // A protocol 1 frame: a big-endian length no longer than v1's 1 MiB limit, then the JSON object's '{'.
            if (bytes[0] == 0 && bytes[1] <= 0x10 && bytes[4] == (byte)'{') return PreambleKind.Version1;
            return PreambleKind.Garbage;
        }

        /// <summary>
        /// The refuse frame protocol 1 understands (length-prefixed JSON), telling a v1 peer why it cannot join: it shows
        /// this reason to its user instead of a bare closed connection.
        /// </summary>
        public static byte[] Version1Refusal()
        {
            var json = Encoding.UTF8.GetBytes(
                "{\"type\":\"refuse\",\"code\":\"version\",\"reason\":\"this peer speaks protocol 2 (PSGroupChat 2.0 or later); upgrade PSGroupChat to join it\"}");
            var frame = new byte[4 + json.Length];
            frame[2] = (byte)(json.Length >> 8);
            frame[3] = (byte)json.Length;
            Buffer.BlockCopy(json, 0, frame, 4, json.Length);
            return frame;
        }
    }

    /// <summary>What the first 8 bytes of a connection were.</summary>
    internal enum PreambleKind
    {
        /// <summary>A protocol 2 preamble.</summary>
        Version2,

        /// <summary>"PSGC" with another version byte.</summary>
        OtherVersion,

        /// <summary>A protocol 1 (JSON) frame.</summary>
        Version1,

        /// <summary>Anything else.</summary>
        Garbage,
    }
}
