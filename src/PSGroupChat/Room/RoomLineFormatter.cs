using System;
using System.Collections.Generic;
using System.Globalization;
using PSGroupChat.Display;

namespace PSGroupChat.Room
{
    /// <summary>
    /// Turns inbox entries into chat room lines: <c>[hh:mm:ss] bob: text</c>, <c>[hh:mm:ss] * bob waves</c>,
    /// <c>[hh:mm:ss] bob (to alice): text</c>, <c>[hh:mm:ss] *** bob joined</c>, <c>[hh:mm:ss] *** bob left (timeout)</c>.
    /// Everything a remote member sent is made harmless first: a control character in a message must not move the
    /// cursor, change colours or clear the user's screen, so it is shown as U+FFFD; a multi-line message becomes several
    /// lines, the later ones indented under the text.
    /// </summary>
    internal static class RoomLineFormatter
    {
        /// <summary>The lines of one inbox entry; the time is the one it reached this session, in <paramref name="zone"/>.</summary>
        public static IReadOnlyList<RoomLine> Format(ChatMessage entry, TimeZoneInfo zone)
        {
            if (entry == null) throw new ArgumentNullException(nameof(entry));
            if (zone == null) throw new ArgumentNullException(nameof(zone));
            var time = "[" + TimeZoneInfo.ConvertTime(entry.ReceivedAt, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "] ";
            var sender = ConsoleText.Clean(entry.Sender);
            switch (entry.Kind)
            {
                case ChatMessageKind.Joined:
                    return new[] { new RoomLine(RoomLineKind.Joined, $"{time}*** {sender} joined", time.Length + 4) };
                case ChatMessageKind.Left:
                    return Lines(RoomLineKind.Left, $"{time}*** {sender} left", LeftDetail(entry));
                default:
                    var kind = entry.IsDirect ? RoomLineKind.Direct : entry.IsOwn ? RoomLineKind.Own : RoomLineKind.Message;
                    var to = entry.IsDirect ? " (to " + ConsoleText.Clean(string.Join(", ", entry.Recipients)) + ")" : string.Empty;
                    return entry.IsAction
                        ? Lines(kind, $"{time}* {sender}{to} ", entry.Text)
                        : Lines(kind, $"{time}{sender}{to}: ", entry.Text);
            }
        }

        /// <summary>"(graceful: bye)", "(timeout)", "(connection lost: reset by peer)", or nothing.</summary>
        private static string LeftDetail(ChatMessage notice)
        {
            bool hasReason = !string.IsNullOrEmpty(notice.Reason);
            bool hasText = !string.IsNullOrEmpty(notice.Text);
            if (hasReason && hasText) return $" ({notice.Reason}: {notice.Text})";
            if (hasReason) return $" ({notice.Reason})";
            return hasText ? $" ({notice.Text})" : string.Empty;
        }

        /// <summary>The head followed by the text; each further line of the text indented to where the text began.</summary>
        private static IReadOnlyList<RoomLine> Lines(RoomLineKind kind, string head, string text)
        {
            var parts = text.Replace("\r\n", "\n").Split('\n');
            var lines = new RoomLine[parts.Length];
            lines[0] = new RoomLine(kind, ConsoleText.Clean(head + parts[0]), head.Length);
            var indent = new string(' ', head.Length);
            for (int i = 1; i < parts.Length; i++) lines[i] = new RoomLine(kind, indent + ConsoleText.Clean(parts[i]), head.Length);
            return lines;
        }
    }
}
