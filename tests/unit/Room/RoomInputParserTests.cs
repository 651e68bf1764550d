using System;
using PSGroupChat.Room;
using Xunit;

namespace PSGroupChat.Tests.Room
{
    public class RoomInputParserTests
    {
        [Theory]
        [InlineData("hello", "Say", "hello", null)]
        [InlineData("  indented stays indented", "Say", "  indented stays indented", null)]
        [InlineData("//etc/passwd is a path", "Say", "/etc/passwd is a path", null)]
        [InlineData("/who", "Who", "", null)]
        [InlineData("/WHO", "Who", "", null)]
        [InlineData("/help", "Help", "", null)]
        [InlineData("/quit", "Quit", "", null)]
        [InlineData("/me waves", "Action", "waves", null)]
        [InlineData("/me   waves at bob", "Action", "waves at bob", null)]
        [InlineData("/msg bob hi there", "Direct", "hi there", "bob")]
        [InlineData("/msg   bob    hi", "Direct", "hi", "bob")]
        [InlineData("/Msg Bob hi", "Direct", "hi", "Bob")]
        public void UnderstandsTheLine(string line, string kind, string text, string? recipient)
        {
            var input = RoomInputParser.Parse(line);
            Assert.Equal(Enum.Parse<RoomInputKind>(kind), input.Kind);
            Assert.Equal(text, input.Text);
            Assert.Equal(recipient, input.Recipient);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(null)]
        public void BlankLineAsksForNothing(string? line) => Assert.Equal(RoomInputKind.Nothing, RoomInputParser.Parse(line).Kind);

        [Theory]
        [InlineData("/me", "/me needs an action")]
        [InlineData("/me   ", "/me needs an action")]
        [InlineData("/msg", "/msg needs a member and a text")]
        [InlineData("/msg bob", "/msg needs a text after the name, e.g. /msg bob hello")]
        [InlineData("/msg bob   ", "/msg needs a text after the name")]
        [InlineData("/dance", "There is no command '/dance'")]
        [InlineData("/", "There is no command '/'")]
        public void MisusedCommandSaysWhatIsWrong(string line, string problem)
        {
            var input = RoomInputParser.Parse(line);
            Assert.Equal(RoomInputKind.Invalid, input.Kind);
            Assert.StartsWith(problem, input.Text);
        }
    }
}
