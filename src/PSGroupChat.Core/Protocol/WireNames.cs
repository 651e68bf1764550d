using System;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// The field names and frame types of the protocol, recognised in a frame's raw UTF-8 so that decoding a message
    /// does not allocate a string for each of its field names and its type: at thousands of frames a second those
    /// strings were most of what decoding allocated besides the text itself.
    /// </summary>
    internal static class WireNames
    {
        private static readonly string[] Known =
        {
            "type", "version", "id", "user", "port", "since", "nonce", "proof", "code", "reason", "members", "endpoint",
            "seq", "at", "text", "to", "action",
            "hello", "auth", "accept", "welcome", "refuse", "msg", "ping", "leave",
        };

        private static readonly byte[][] KnownUtf8 = Known.Select(Encoding.UTF8.GetBytes).ToArray();

        /// <summary>
        /// The current token's text, a property name or a string value: the shared instance when it is one of the
        /// protocol's names written plainly, otherwise whatever <see cref="Utf8JsonReader.GetString"/> makes of it
        /// (escaped or unknown names, and its errors, exactly as before).
        /// </summary>
        public static string Read(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                var raw = reader.ValueSpan;
                for (int i = 0; i < KnownUtf8.Length; i++)
                {
                    if (raw.SequenceEqual(KnownUtf8[i])) return Known[i];
                }
            }
            return reader.GetString()!;
        }
    }
}
