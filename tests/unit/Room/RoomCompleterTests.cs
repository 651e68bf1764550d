using PSGroupChat.Room;
using Xunit;

namespace PSGroupChat.Tests.Room
{
    public class RoomCompleterTests
    {
        private static readonly string[] Members = { "bob", "Bobby", "carol" };

        [Theory]
        [InlineData("/msg b", "/msg bob", new[] { "bob", "Bobby" })]        // two members: as far as they agree, and listed
        [InlineData("/msg bobb", "/msg Bobby ", new string[0])]              // one: completed, in its own spelling, with a space
        [InlineData("/msg c", "/msg carol ", new string[0])]
        [InlineData("hi c", "hi carol ", new string[0])]                     // member names anywhere in the text
        [InlineData("/w", "/who ", new string[0])]                           // the first word of a command line is a command
        [InlineData("/m", "/m", new[] { "/me", "/msg" })]
        [InlineData("/Q", "/quit ", new string[0])]
        public void CompletesTheWordBeforeTheCaret(string typed, string line, string[] candidates)
        {
            var completion = RoomCompleter.Complete(typed, typed.Length, Members);
            Assert.NotNull(completion);
            Assert.Equal(line, completion!.Text);
            Assert.Equal(line.Length, completion.Caret);
            Assert.Equal(candidates, completion.Candidates);
        }

        [Fact]
        public void CompletesInTheMiddleOfTheLineAndStepsOverTheSpaceAlreadyThere()
        {
            var completion = RoomCompleter.Complete("/msg ca hello", 7, Members)!;
            Assert.Equal("/msg carol hello", completion.Text);
            Assert.Equal(11, completion.Caret); // after "carol "
        }

        [Theory]
        [InlineData("/msg z")]
        [InlineData("/dance")]
        [InlineData("//b")]
        public void NothingFitsNothingChanges(string typed) => Assert.Null(RoomCompleter.Complete(typed, typed.Length, Members));
    }
}
