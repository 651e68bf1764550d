using PSGroupChat.Room;
using Xunit;

namespace PSGroupChat.Tests.Room
{
    public class RoomLineWrapperTests
    {
        private const string Head = "[07:08:09] bob: ";

        private static string[] Wrap(string text, int indent, int width) =>
            System.Linq.Enumerable.ToArray(RoomLineWrapper.Wrap(new RoomLine(RoomLineKind.Message, text, indent), width, ScriptedScreen.Cells));

        [Fact]
        public void LineThatFitsIsOneRow() => Assert.Equal(new[] { Head + "hi there" }, Wrap(Head + "hi there", Head.Length, 40));

        [Fact]
        public void LongLineBreaksAtSpacesWithRowsIndentedUnderTheText()
        {
            // Width 40: no row may reach column 40, so 39 cells at most.
            Assert.Equal(new[]
            {
                "[07:08:09] bob: the quick brown fox",
                "                jumps over the lazy dog",
                "                and runs away",
            }, Wrap(Head + "the quick brown fox jumps over the lazy dog and runs away", Head.Length, 40));
        }

        [Fact]
        public void WordWiderThanARowIsBrokenAndTheHeadIsNeverSplit()
        {
            Assert.Equal(new[]
            {
                "[07:08:09] bob: abcdefghijklmnopqrstuvw",
                "                xyz0123456789",
            }, Wrap(Head + "abcdefghijklmnopqrstuvwxyz0123456789", Head.Length, 40));
        }

        [Fact]
        public void WideCharactersCountTwoCells()
        {
            // 12 CJK characters are 24 cells: after the 16-cell head, a 39-cell row (width 40) holds 11 of them.
            var rows = Wrap(Head + "你好世界你好世界你好世界", Head.Length, 40);
            Assert.Equal(new[] { Head + "你好世界你好世界你好世", "                界" }, rows);
            Assert.All(rows, r => Assert.True(ScriptedScreen.Cells(r) <= 39, r));
        }

        [Fact]
        public void SurrogatePairIsNeverSplit()
        {
            var emoji = char.ConvertFromUtf32(0x1F600);
            var rows = Wrap(new string('x', 18) + emoji + "y", 0, 20);
            Assert.Equal(new[] { new string('x', 18), emoji + "y" }, rows);
        }

        [Fact]
        public void HeadWiderThanHalfTheRowIndentsLess()
        {
            var head = "[07:08:09] a-very-long-member-name: ";
            var rows = Wrap(head + "one two three four five six", head.Length, 50);
            // 49 cells fit on a row of width 50; the rows after it are indented by half of that, not by the 36-cell head.
            Assert.Equal(new[] { head + "one two three", new string(' ', 24) + "four five six" }, rows);
        }
    }
}
