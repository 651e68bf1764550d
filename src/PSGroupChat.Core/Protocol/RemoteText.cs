using System;
using System.Text;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Makes text that a remote peer chose fit for a log line, an error message or a console: bounded in length and free
    /// of control characters, so that a hostile peer can neither flood a log nor put terminal escape sequences on screen.
    /// </summary>
    internal static class RemoteText
    {
        /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/> (then '…'), control characters shown as '?'.</summary>
        public static string Printable(string text, int max)
        {
            var shown = new StringBuilder(Math.Min(text.Length, max) + 1);
            foreach (char c in text)
            {
                if (shown.Length == max)
                {
                    shown.Append('…');
                    break;
                }
                shown.Append(char.IsControl(c) ? '?' : c);
            }
            return shown.ToString();
        }
    }
}
