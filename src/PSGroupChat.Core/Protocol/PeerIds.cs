using System;
using System.Runtime.InteropServices;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Peer ids: 32 lowercase hex digits in the engine and the logs, 16 raw bytes on the wire. Only that form exists in
    /// protocol 2, so every id that came off the wire is already well formed.
    /// </summary>
    internal static class PeerIds
    {
        private const string Hex = "0123456789abcdef";

        /// <summary>A new random peer id.</summary>
        public static string New() => Guid.NewGuid().ToString("N");

        /// <summary>Whether <paramref name="peerId"/> is 32 lowercase hex digits.</summary>
        public static bool IsValid(string? peerId)
        {
            if (peerId == null || peerId.Length != WireLimits.PeerIdBytes * 2) return false;
            foreach (char c in peerId)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            }
            return true;
        }

        /// <summary>Writes the 16 bytes of an engine id; the engine only ever holds valid ones.</summary>
        public static void Write(string peerId, Span<byte> destination)
        {
            var recent = t_recent ??= new RecentId[RecentSize];
            for (int i = 0; i < recent.Length; i++)
            {
                if (ReferenceEquals(recent[i].Text, peerId))
                {
                    MemoryMarshal.Write(destination, ref recent[i].High);
                    MemoryMarshal.Write(destination.Slice(8), ref recent[i].Low);
                    return;
                }
            }
            if (!IsValid(peerId)) throw new ArgumentException($"'{peerId}' is not a peer id of 32 lowercase hex digits.", nameof(peerId));
            for (int i = 0; i < WireLimits.PeerIdBytes; i++)
            {
                destination[i] = (byte)((Nibble(peerId[2 * i]) << 4) | Nibble(peerId[2 * i + 1]));
            }
            Remember(MemoryMarshal.Read<ulong>(destination), MemoryMarshal.Read<ulong>(destination.Slice(8)), peerId);
        }

        // The ids a thread encoded last: a sender's own id, or a kept message's origin, so that encoding one is a reference
        // comparison instead of a parse.
        private const int RecentSize = 8;
        [ThreadStatic] private static RecentId[]? t_recent;
        [ThreadStatic] private static int t_next;

        // The ids a thread decoded, in a table indexed by the id's low bits: nearly every frame on a link carries the same
        // few ids (a message's origin is its sender), and a digest or member list those of the whole chat, so decoding one
        // costs a comparison instead of a 32-character string. Large enough for a chat of hundreds of members; a hostile
        // stream of random ids only replaces entries, it never grows the table.
        private const int DecodedSize = 512;
        [ThreadStatic] private static RecentId[]? t_decoded;

        private struct RecentId
        {
            public ulong High, Low;
            public string? Text;
        }

        /// <summary>The engine form of 16 bytes from the wire.</summary>
        public static string Read(ReadOnlySpan<byte> bytes)
        {
            ulong high = MemoryMarshal.Read<ulong>(bytes), low = MemoryMarshal.Read<ulong>(bytes.Slice(8));
            var decoded = t_decoded ??= new RecentId[DecodedSize];
            ref var slot = ref decoded[(int)((low ^ (low >> 32)) & (DecodedSize - 1))];
            if (slot.High == high && slot.Low == low && slot.Text != null) return slot.Text;
            string text = Format(bytes);
            slot = new RecentId { High = high, Low = low, Text = text };
            return text;
        }

        private static void Remember(ulong high, ulong low, string text)
        {
            var recent = t_recent ??= new RecentId[RecentSize];
            int slot = t_next;
            t_next = (slot + 1) % RecentSize;
            recent[slot] = new RecentId { High = high, Low = low, Text = text };
        }

        private static unsafe string Format(ReadOnlySpan<byte> bytes)
        {
            // Written into the new string itself: netstandard2.0 has no string.Create, and a char array first doubled the cost.
            var text = new string('\0', WireLimits.PeerIdBytes * 2);
            fixed (char* chars = text)
            {
                for (int i = 0; i < WireLimits.PeerIdBytes; i++)
                {
                    chars[2 * i] = Hex[bytes[i] >> 4];
                    chars[2 * i + 1] = Hex[bytes[i] & 0xF];
                }
            }
            return text;
        }

        private static int Nibble(char c) => c <= '9' ? c - '0' : c - 'a' + 10;
    }
}
