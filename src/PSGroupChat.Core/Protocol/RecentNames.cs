using System;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// The short strings a peer reads again and again, kept per thread by their UTF-8 bytes so that a repeat costs no new
    /// string: the user names and hosts of member lists (while a 100-peer mesh forms, each is read about 200 times).
    /// A table of 256 slots indexed by a hash of the bytes; a collision only replaces the older entry.
    /// </summary>
    internal static class RecentNames
    {
        private const int Slots = 256;

        [ThreadStatic] private static Entry?[]? t_slots;

        /// <summary>The string these bytes decoded to last time on this thread, or null.</summary>
        public static string? Find(ReadOnlySpan<byte> utf8, out int slot)
        {
            slot = (int)(Hash(utf8) & (Slots - 1));
            var entry = t_slots?[slot];
            return entry != null && utf8.SequenceEqual(entry.Utf8) ? entry.Text : null;
        }

        /// <summary>Remembers what <paramref name="utf8"/> decoded to, in the slot <see cref="Find"/> named.</summary>
        public static void Keep(ReadOnlySpan<byte> utf8, string text, int slot) =>
            (t_slots ??= new Entry?[Slots])[slot] = new Entry(utf8.ToArray(), text);

        private static uint Hash(ReadOnlySpan<byte> bytes)
        {
            uint hash = 2166136261; // FNV-1a
            foreach (byte b in bytes) hash = (hash ^ b) * 16777619;
            return hash ^ (hash >> 16);
        }

        private sealed record Entry(byte[] Utf8, string Text);
    }
}
