using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Room
{
    /// <summary>
    /// Enter-ChatRoom in the real engine, driven through a scripted host: its keyboard replays keystrokes, its screen
    /// records what the room drew. alice is in the room; bob and carol are peers in another runspace.
    /// </summary>
    public class EnterChatRoomTests
    {
        private const string Time = @"\[\d\d:\d\d:\d\d\] ";

        [Fact]
        public void TypedLineIsSentToBothOtherMembersAndShownWithTheNoticesInTheirOwnColours()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .WaitUntil(() => screen.HasRow(Time + @"\*\*\* bob joined$") && screen.HasRow(Time + @"\*\*\* carol joined$"), "both joins shown")
                .Line("hello both")
                .WaitUntil(() => screen.HasRow("^" + Time + "alice: hello both$"), "alice's line shown in the room")
                .Line("/quit");

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            var result = run.FinishCleanly();
            Assert.Empty(result.Output);
            Assert.True(chat.Keys.Finished);
            foreach (var who in new[] { "bob", "carol" })
            {
                var message = chat.ReceiveOne(who, "-Kind Message -From alice");
                Assert.Equal("hello both", message.Text);
                Assert.False(message.IsDirect);
            }
            // Notices in their own colour, other than the colour of chat lines.
            Assert.Equal(ConsoleColor.Green, screen.ColourOf("*** bob joined"));
            Assert.Equal(ConsoleColor.Green, screen.ColourOf("*** carol joined"));
            Assert.NotEqual(screen.ColourOf("alice: hello both"), screen.ColourOf("*** bob joined"));
            Assert.True(screen.HasRow("^Left the room\\. The session of 'alice' keeps running"), screen.ToString());
        }

        [Fact]
        public async Task MessageArrivingMidTypingIsShownAboveThePartialInputWhichIsThenSentWhole()
        {
            using var go = new ManualResetEventSlim();
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .Type("hel")
                .WaitUntil(() => go.IsSet, "the test saw bob's message arrive")
                .Type("lo carol")
                .Enter()
                .WaitUntil(() => screen.HasRow("^" + Time + "alice: hello carol$"), "alice's line shown")
                .Line("/quit");

            var watch = Stopwatch.StartNew();
            using var run = chat.Enter($"$alice = Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}'; Enter-ChatRoom -Session $alice");
            await Eventually.True(() => screen.CursorRowText == "alice> hel" && screen.Cursor.X == "alice> hel".Length, "the partial input drawn");

            var sent = chat.Peers.Run("Send-ChatMessage -Session $bob -Message 'ping from bob'");
            Assert.True(sent.Errors.Count == 0, sent.ErrorText);
            string bobsLine = "^" + Time + "bob: ping from bob$";
            await Eventually.True(() => screen.HasRow(bobsLine) && screen.CursorRowText == "alice> hel" && screen.Cursor.X == "alice> hel".Length,
                "bob's message shown with the partial input drawn again under it");
            Assert.True(screen.FindRow(bobsLine) < screen.Cursor.Y, screen.ToString());
            Assert.Equal(ConsoleColor.Gray, screen.ColourOf("bob: ping from bob"));
            go.Set();

            run.FinishCleanly();
            watch.Stop();
            var message = chat.ReceiveOne("carol", "-Kind Message -From alice");
            Assert.Equal("hello carol", message.Text);
            Assert.Equal("hello carol", chat.ReceiveOne("bob", "-Kind Message -From alice").Text);

            // No busy wait: the room asks for keys about every 40 ms (plus once per key and per arrival). A loop that
            // spun would ask thousands of times per second.
            Assert.True(chat.Keys.KeyAvailableCalls < watch.ElapsedMilliseconds / 10 + 100,
                $"KeyAvailable was called {chat.Keys.KeyAvailableCalls} times in {watch.ElapsedMilliseconds} ms");
        }

        [Fact]
        public void WhoMsgMeHelpAndMistakesDoWhatTheySay()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .Line("/who")
                .WaitUntil(() => screen.HasRow(@"^Members \(3\): alice \(you\), bob, carol$"), "/who listed the members")
                .Line("/msg bob just for you")
                .WaitUntil(() => screen.HasRow("^" + Time + @"alice \(to bob\): just for you$"), "the direct message shown")
                .Line("/me waves")
                .WaitUntil(() => screen.HasRow("^" + Time + @"\* alice waves$"), "the action shown")
                .Line("/msg nobody hi")
                .WaitUntil(() => screen.HasRow("No member of the chat is named 'nobody'"), "the unknown member reported")
                .Line("/dance")
                .WaitUntil(() => screen.HasRow("There is no command '/dance'"), "the unknown command reported")
                .Line("/help")
                .WaitUntil(() => screen.HasRow(@"^/msg <name> <text> +sends <text> to <name> only$"), "the help shown")
                .Line("//slash text")
                .WaitUntil(() => screen.HasRow("^" + Time + "alice: /slash text$"), "the escaped slash sent")
                .Line("/QUIT");

            using var run = chat.Enter($"$alice = Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}'; Enter-ChatRoom $alice");
            run.FinishCleanly();

            // bob got the direct message, the action and the slash line, in order.
            var atBob = chat.Peers.Run("Receive-ChatMessage -Session $bob -Kind Message -From alice -Wait -Count 3 -Timeout 30").Objects<ChatMessage>();
            Assert.Equal(new[] { "just for you", "waves", "/slash text" }, atBob.Select(m => m.Text));
            Assert.True(atBob[0].IsDirect);
            Assert.Equal(new[] { "bob" }, atBob[0].Recipients);
            Assert.True(atBob[1].IsAction);
            // carol got only the two sent to everyone: one link carries alice's messages in order, so had the direct
            // message gone to carol it would have come before the action.
            var atCarol = chat.Peers.Run("Receive-ChatMessage -Session $carol -Kind Message -From alice -Wait -Count 2 -Timeout 30").Objects<ChatMessage>();
            Assert.Equal(new[] { "waves", "/slash text" }, atCarol.Select(m => m.Text));
            // The two mistakes sent nothing.
            Assert.Equal(3L, chat.Room.Run("(Get-ChatSession).MessagesSent").Output.Single().BaseObject);

            Assert.Equal(ConsoleColor.Magenta, screen.ColourOf("alice (to bob): just for you"));
            Assert.Equal(ConsoleColor.Red, screen.ColourOf("No member of the chat is named 'nobody'"));
            Assert.Equal(ConsoleColor.Red, screen.ColourOf("There is no command '/dance'"));
            Assert.Equal(ConsoleColor.Cyan, screen.ColourOf("Members (3)"));
            // /quit left the room only: the session runs on.
            Assert.Equal("Running", chat.Room.Run("(Get-ChatSession).State.ToString()").Output.Single().ToString());
        }

        [Fact]
        public void EditingKeysAndHistoryShapeTheLineSent()
        {
            const int Left = 0x25, Right = 0x27, Home = 0x24, End = 0x23, Up = 0x26, Escape = 0x1B, Delete = 0x2E;
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .Type("hllo").Key(Home).Key(Right).Type("e")            // hello
                .Key(End).Type(" world!!").Backspace()                  // hello world!
                .Key(Left).Key(Left).Key(Delete).Type("D")              // hello worlD!
                .Enter()
                .WaitUntil(() => screen.HasRow("alice: hello worlD!$"), "the edited line sent")
                .Key(Up).Enter()                                        // the same again, from the history
                .Type("junk").Key(Escape).Type("ok").Enter()           // Escape dropped 'junk'
                .WaitUntil(() => screen.HasRow("alice: ok$"), "the last line sent")
                .Line("/quit");

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            run.FinishCleanly();
            var atBob = chat.Peers.Run("Receive-ChatMessage -Session $bob -Kind Message -From alice -Wait -Count 3 -Timeout 30").Objects<ChatMessage>();
            Assert.Equal(new[] { "hello worlD!", "hello worlD!", "ok" }, atBob.Select(m => m.Text));
        }

        [Fact]
        public void LineLongerThanTheScreenScrollsWithinOneRowAndIsSentWhole()
        {
            var text = string.Concat(Enumerable.Range(0, 30).Select(i => $"w{i:00} ")).TrimEnd(); // 119 characters
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .WaitUntil(() => screen.CursorRowText == "alice>", "the empty input drawn")
                .Type(text)
                .WaitUntil(() => screen.CursorRowText.EndsWith("w29", StringComparison.Ordinal), "the end of the line shown")
                .Key(0x24) // Home
                .WaitUntil(() => screen.CursorRowText.StartsWith("alice> w00 w01", StringComparison.Ordinal), "the start of the line shown")
                .Enter()
                .WaitUntil(() => screen.HasRow("alice: w00"), "the line sent")
                .Line("/quit");

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            run.FinishCleanly();
            Assert.Equal(text, chat.ReceiveOne("bob", "-Kind Message -From alice").Text);
            // The input line never wrapped: no write of it reached the last column or the row below.
            var inputWrites = screen.Writes.Where(w => w.Text.StartsWith("alice> ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(inputWrites);
            Assert.All(inputWrites, w => Assert.True(w.At.X == 0 && w.Text.TrimEnd().Length < screen.Width, $"input drawn too wide: '{w.Text}'"));
            Assert.All(screen.Moves, m => Assert.True(m.X < screen.Width - 1, $"cursor moved to the last column: {m}"));
        }

        [Fact]
        public void QuitWithStopOnExitAlsoStopsTheSession()
        {
            using var chat = RoomChat.Start();
            chat.KeysOnceMeshed().Line("/quit");

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom -StopOnExit");
            run.FinishCleanly();
            Assert.Equal("Stopped", chat.Room.Run("(Get-ChatSession).State.ToString()").Output.Single().ToString());
            var left = chat.ReceiveOne("bob", "-Kind Left");
            Assert.Equal("alice", left.Sender);
            Assert.Equal(LeaveReason.Graceful, left.Reason);
            Assert.True(chat.Screen.HasRow("^Left the room and the chat: the session of 'alice' is stopped\\.$"), chat.Screen.ToString());
        }

        [Fact]
        public void CtrlCKeyLeavesCleanlyWithoutSendingTheUnfinishedLine()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .Type("half typed")
                .WaitUntil(() => screen.CursorRowText == "alice> half typed", "the unfinished line drawn")
                .CtrlC();

            using var run = chat.Enter($"$alice = Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}'; Enter-ChatRoom");
            run.FinishCleanly();
            var raw = (ScriptedRawUserInterface)chat.Host.UI.RawUI;
            Assert.True(raw.LastReadKeyOptions.HasFlag(ReadKeyOptions.AllowCtrlC), "Ctrl+C must be read as a key");
            Assert.True(raw.LastReadKeyOptions.HasFlag(ReadKeyOptions.NoEcho), "the room draws the keys itself");
            // The unfinished line is gone from the screen, the farewell stands in its place, and the cursor is below it.
            Assert.False(screen.HasRow("half typed"), screen.ToString());
            Assert.True(screen.HasRow("^Left the room\\."), screen.ToString());
            Assert.Equal(new Coordinates(0, screen.Rows().Count - 1), screen.Cursor);
            Assert.Equal(string.Empty, screen.CursorRowText);
            // Not sent: the first message bob gets from alice is the one sent after the room.
            chat.Room.Run("Send-ChatMessage -Message 'after the room'");
            Assert.Equal("after the room", chat.ReceiveOne("bob", "-Kind Message -From alice").Text);
            Assert.Equal("Running", chat.Room.Run("$alice.State.ToString()").Output.Single().ToString());
        }

        [Fact]
        public async Task StoppingThePipelineLeavesCleanly()
        {
            using var stopped = new ManualResetEventSlim();
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .Type("abc")
                .WaitUntil(() => stopped.IsSet, "the pipeline stopped");

            using var run = chat.Enter($"$alice = Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}'; Enter-ChatRoom");
            await Eventually.True(() => screen.CursorRowText == "alice> abc", "the input drawn");
            run.Stop(); // what the console host does on Ctrl+C outside ReadKey: StopProcessing
            stopped.Set();
            var result = run.Finish();

            Assert.Equal(PSInvocationState.Stopped, run.State);
            Assert.True(result.Errors.All(e => e.FullyQualifiedErrorId == "PipelineStopped"), result.ErrorText);
            int farewell = screen.FindRow("^Left the room\\.");
            Assert.True(farewell >= 0, screen.ToString());
            Assert.False(screen.HasRow("alice> abc"), screen.ToString());
            Assert.Equal("Running", chat.Room.Run("$alice.State.ToString()").Output.Single().ToString());
        }

        [Fact]
        public async Task ReceiveAfterLeavingSeesNothingTheRoomShowed()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .WaitUntil(() => screen.HasRow(@"\*\*\* bob joined$") && screen.HasRow(@"\*\*\* carol joined$"), "both joins shown")
                .WaitUntil(() => screen.HasRow("^" + Time + "bob: one$"), "bob's message shown")
                .Line("mine")
                .WaitUntil(() => screen.HasRow("^" + Time + "alice: mine$"), "alice's line shown")
                .Line("/quit");

            using var run = chat.Enter($"$alice = Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}'; Enter-ChatRoom");
            await Eventually.True(() => chat.Meshed, "alice linked to bob and carol");
            Assert.Empty(chat.Peers.Run("Send-ChatMessage -Session $bob -Message 'one'").Errors);
            run.FinishCleanly();

            // Everything that reached alice was shown, so nothing is left: not the notices, not bob's line, not her own.
            var left = chat.Room.Run("Receive-ChatMessage -IncludeOwn");
            Assert.True(left.Errors.Count == 0, left.ErrorText);
            Assert.Empty(left.Objects<ChatMessage>().Select(m => m.ToString()));

            // What arrives after the room is Receive-ChatMessage's.
            Assert.Empty(chat.Peers.Run("Send-ChatMessage -Session $bob -Message 'two'").Errors);
            var later = chat.Room.Run("Receive-ChatMessage -Wait -Count 1 -Timeout 30").Objects<ChatMessage>();
            Assert.Equal("two", Assert.Single(later).Text);
            Assert.False(screen.HasRow("bob: two"));
        }

        [Fact]
        public async Task SessionStoppingUnderTheRoomEndsItWithANotice()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            var start = chat.Room.Run($"$alice = Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}'");
            Assert.True(start.Errors.Count == 0, start.ErrorText);
            var alice = RoomChat.Session(chat.Room.Get("alice"));

            using var run = chat.Enter("Enter-ChatRoom -Session $alice");
            await Eventually.True(() => screen.CursorRowText == "alice>" && screen.Cursor.X == "alice> ".Length, "the room open");
            await alice.StopAsync("closing time");
            run.FinishCleanly();
            Assert.True(screen.HasRow("^The session of 'alice' stopped \\(closing time\\); left the room\\.$"), screen.ToString());
        }

        [Fact]
        public async Task VerboseLogLinesAreWrittenAboveTheInputLine()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            Assert.Empty(chat.Room.Run($"$alice = Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}'").Errors);
            chat.KeysOnceMeshed()
                .Type("draft")
                .WaitUntil(() => screen.HasRow("^VERBOSE: .*carol") && screen.HasRow(@"\*\*\* carol left \(graceful: bye\)$")
                    && screen.CursorRowText == "alice> draft" && screen.Cursor.Y > screen.FindRow("^VERBOSE: .*carol"), "carol's leave logged and shown")
                .Key(0x1B) // Escape: the draft is not sent
                .Line("/quit");

            using var run = chat.Enter("Enter-ChatRoom -Session $alice -Verbose");
            await Eventually.True(() => screen.CursorRowText == "alice> draft", "the draft typed");
            Assert.Empty(chat.Peers.Run("Stop-ChatPeer -Session $carol -Reason bye").Errors);
            var result = run.FinishCleanly();
            Assert.Contains(result.Verbose, v => v.Message.Contains("carol", StringComparison.Ordinal));
            Assert.Equal(ConsoleColor.Yellow, screen.ColourOf("*** carol left (graceful: bye)"));
        }

        [Fact]
        public void StoppedSessionIsRefused()
        {
            using var chat = RoomChat.Start();
            var result = chat.Room.Run("$s = Start-ChatPeer -UserName alice -Port 0; Stop-ChatPeer -Session $s; Enter-ChatRoom -Session $s");
            var error = Assert.Single(result.Errors);
            Assert.Equal("SessionStopped,PSGroupChat.Commands.EnterChatRoomCommand", error.FullyQualifiedErrorId);
            Assert.Empty(chat.Screen.Writes);
        }

        [Theory]
        [InlineData(HostKeyboard.NoRawUI, "does not support user interaction")] // the engine's words for a host without RawUI
        [InlineData(HostKeyboard.InputRedirected, "redirected from a file")] // the console host's words
        public void HostWithoutAKeyboardIsRefused(HostKeyboard keyboard, string why)
        {
            using var chat = RoomChat.Start(keyboard);
            var result = chat.Room.Run($"$alice = Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}'; Enter-ChatRoom");

            var error = Assert.Single(result.Errors);
            Assert.Equal("NonInteractiveHost,PSGroupChat.Commands.EnterChatRoomCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Contains("needs an interactive host", error.Exception.Message);
            Assert.Contains("'ScriptedHost'", error.Exception.Message);
            Assert.True(error.Exception.Message.Contains(why), error.Exception.Message);
            Assert.Empty(chat.Screen.Writes);
            Assert.Equal("Running", chat.Room.Run("$alice.State.ToString()").Output.Single().ToString());
        }

        [Fact]
        public void DefaultHostOfAHostedRunspaceIsRefused()
        {
            using var host = new PowerShellHost();
            var result = host.Run("$s = Start-ChatPeer -UserName alice -Port 0; $s | Enter-ChatRoom");
            var error = Assert.Single(result.Errors);
            Assert.Equal("NonInteractiveHost,PSGroupChat.Commands.EnterChatRoomCommand", error.FullyQualifiedErrorId);
            Assert.Contains("needs an interactive host", error.Exception.Message);
            Assert.Equal("Running", host.Run("$s.State.ToString()").Output.Single().ToString());
        }
    }
}
