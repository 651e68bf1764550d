using System.Globalization;

namespace PSGroupChat.Protocol
{
    /// <summary>A message's id as users see it: its origin's peer id and its sequence, <c>&lt;origin&gt;:&lt;sequence&gt;</c>.</summary>
    internal static class MessageIds
    {
        public static string Format(string origin, long sequence) => origin + ":" + sequence.ToString(CultureInfo.InvariantCulture);
    }
}
