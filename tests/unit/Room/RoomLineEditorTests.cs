using System.Management.Automation.Host;
using PSGroupChat.Room;
using Xunit;

namespace PSGroupChat.Tests.Room
{
    public class RoomLineEditorTests
    {
        private static RoomKeyResult Press(RoomLineEditor editor, int virtualKey, char character, bool control = false) =>
            editor.Apply(new KeyInfo(virtualKey, character, control ? ControlKeyStates.LeftCtrlPressed : 0, true), out _);

        private static RoomLineEditor Typed(string text)
        {
            var editor = new RoomLineEditor();
            foreach (char c in text) Press(editor, 0, c);
            return editor;
        }

        [Theory]
        [InlineData('\u0017', 0)]    // as the terminal sends it
        [InlineData('\0', 0x57)]     // as a host that reports the key with Ctrl held
        public void CtrlWErasesTheWordBeforeTheCaret(char character, int virtualKey)
        {
            var editor = Typed("hello big  world");
            Assert.Equal(RoomKeyResult.Edited, Press(editor, virtualKey, character, control: true));
            Assert.Equal("hello big  ", editor.Text);
            Assert.Equal(RoomKeyResult.Edited, Press(editor, virtualKey, character, control: true));
            Assert.Equal("hello ", editor.Text);
            Assert.Equal(6, editor.Caret);
        }

        [Fact]
        public void CtrlDErasesTheCharacterUnderTheCaretAndLeavesOnAnEmptyLine()
        {
            var editor = Typed("ab");
            Assert.Equal(RoomKeyResult.Unchanged, Press(editor, 0x44, '\u0004', control: true)); // nothing under the caret
            Press(editor, 0x24, '\0'); // Home
            Assert.Equal(RoomKeyResult.Edited, Press(editor, 0x44, '\u0004', control: true));
            Assert.Equal("b", editor.Text);
            Assert.Equal(RoomKeyResult.Edited, Press(editor, 0x44, '\0', control: true));
            Assert.Equal(string.Empty, editor.Text);
            Assert.Equal(RoomKeyResult.LeaveAsked, Press(editor, 0x44, '\u0004', control: true));
        }

        [Fact]
        public void CtrlLAsksForARedrawAndTabForACompletionWithoutChangingTheText()
        {
            var editor = Typed("/msg b");
            Assert.Equal(RoomKeyResult.RedrawAsked, Press(editor, 0x4C, '\u000C', control: true));
            Assert.Equal(RoomKeyResult.CompletionAsked, Press(editor, 0x09, '\t'));
            Assert.Equal("/msg b", editor.Text);
            editor.Complete(new RoomCompletion("/msg bob ", 9, System.Array.Empty<string>()));
            Assert.Equal("/msg bob ", editor.Text);
            Assert.Equal(9, editor.Caret);
        }
    }
}
