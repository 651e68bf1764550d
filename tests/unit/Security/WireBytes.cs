using System;
using System.Text;

namespace PSGroupChat.Tests.Security
{
    /// <summary>Looks for what an observer could learn in captured bytes: a text, or a peer id in either of its wire forms.</summary>
    public static class WireBytes
    {
        public static bool HasText(byte[] captured, string text) => captured.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

        /// <summary>A peer id as 32 hex digits (protocol 1's JSON) or as its 16 raw bytes (protocol 2's binary frames).</summary>
        public static bool HasPeerId(byte[] captured, string peerId) =>
            HasText(captured, peerId) || (peerId.Length == 32 && captured.AsSpan().IndexOf(Convert.FromHexString(peerId)) >= 0);
    }
}
