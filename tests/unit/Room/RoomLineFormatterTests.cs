using System;
using System.Linq;
using PSGroupChat.Room;
using Xunit;

namespace PSGroupChat.Tests.Room
{
    public class RoomLineFormatterTests
    {
        private static readonly DateTimeOffset At = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

        private static ChatMessage Entry(ChatMessageKind kind, string sender, string text, bool own = false, bool action = false,
            string[]? to = null, string? reason = null) =>
            new ChatMessage(kind, "alice", sender, "id-" + sender, text)
            {
                ReceivedAt = At,
                SentAt = At.AddHours(-5), // the sender's clock is not the one shown
                IsOwn = own,
                IsAction = action,
                Recipients = to ?? Array.Empty<string>(),
                Reason = reason,
            };

        private static (RoomLineKind Kind, string Text)[] Format(ChatMessage entry) =>
            RoomLineFormatter.Format(entry, TimeZoneInfo.Utc).Select(l => (l.Kind, l.Text)).ToArray();

        [Fact]
        public void MessageShowsTheTimeItArrivedAndTheSender() =>
            Assert.Equal(new[] { (RoomLineKind.Message, "[07:08:09] bob: hi") }, Format(Entry(ChatMessageKind.Message, "bob", "hi")));

        [Fact]
        public void TimeIsShownInTheGivenZone()
        {
            var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
            Assert.Equal("[09:08:09] bob: hi", RoomLineFormatter.Format(Entry(ChatMessageKind.Message, "bob", "hi"), zone).Single().Text);
        }

        [Fact]
        public void OwnDirectAndActionLinesAreToldApart()
        {
            Assert.Equal(new[] { (RoomLineKind.Own, "[07:08:09] alice: mine") }, Format(Entry(ChatMessageKind.Message, "alice", "mine", own: true)));
            Assert.Equal(new[] { (RoomLineKind.Direct, "[07:08:09] bob (to alice): psst") },
                Format(Entry(ChatMessageKind.Message, "bob", "psst", to: new[] { "alice" })));
            Assert.Equal(new[] { (RoomLineKind.Message, "[07:08:09] * bob waves") }, Format(Entry(ChatMessageKind.Message, "bob", "waves", action: true)));
            Assert.Equal(new[] { (RoomLineKind.Direct, "[07:08:09] * bob (to alice, dave) winks") },
                Format(Entry(ChatMessageKind.Message, "bob", "winks", action: true, to: new[] { "alice", "dave" })));
        }

        [Fact]
        public void NoticesSayWhoJoinedAndWhyTheyLeft()
        {
            Assert.Equal(new[] { (RoomLineKind.Joined, "[07:08:09] *** bob joined") }, Format(Entry(ChatMessageKind.Joined, "bob", "")));
            Assert.Equal(new[] { (RoomLineKind.Left, "[07:08:09] *** bob left (graceful: bye)") },
                Format(Entry(ChatMessageKind.Left, "bob", "bye", reason: LeaveReason.Graceful)));
            Assert.Equal(new[] { (RoomLineKind.Left, "[07:08:09] *** bob left (timeout)") },
                Format(Entry(ChatMessageKind.Left, "bob", "", reason: LeaveReason.Timeout)));
        }

        [Fact]
        public void ControlCharactersFromARemoteMemberCannotReachTheTerminal()
        {
            var line = Format(Entry(ChatMessageKind.Message, "bob", "\u001b[2Jgone\u0007\ttab\u009b")).Single();
            Assert.Equal("[07:08:09] bob: \uFFFD[2Jgone\uFFFD tab\uFFFD", line.Text);
            Assert.DoesNotContain(line.Text, char.IsControl);
        }

        [Fact]
        public void MultiLineMessageIsIndentedUnderItsText()
        {
            Assert.Equal(new[]
            {
                (RoomLineKind.Message, "[07:08:09] bob: first"),
                (RoomLineKind.Message, "                second"),
                (RoomLineKind.Message, "                "),
                (RoomLineKind.Message, "                fourth"),
            }, Format(Entry(ChatMessageKind.Message, "bob", "first\r\nsecond\n\nfourth")));
        }
    }
}
