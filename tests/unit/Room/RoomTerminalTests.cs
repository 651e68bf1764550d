using System;
using System.Linq;
using System.Management.Automation.Host;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Room
{
    /// <summary>
    /// What the room does to the terminal: resizes, wide characters, wrapping, Tab, Ctrl+L/Ctrl+D and the header, in the
    /// real engine through the scripted host (whose screen resizes like tmux and measures cells like the Linux console).
    /// The same is checked in a real terminal by tests/pester/Room/EnterChatRoom.Tests.ps1.
    /// </summary>
    public class RoomTerminalTests
    {
        private const string Time = @"\[\d\d:\d\d:\d\d\] ";
        private const ControlKeyStates Ctrl = ControlKeyStates.LeftCtrlPressed;

        [Fact]
        public async Task AfterTheTerminalPullsRowsBackNewLinesGoBelowTheTranscriptAndNoStalePromptStays()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .WaitUntil(() => screen.HasRow(@"\*\*\* bob joined$") && screen.HasRow(@"\*\*\* carol joined$"), "both joins shown")
                .Type("draft");

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            await Eventually.True(() => screen.CursorRowText == "alice> draft", "the draft drawn");
            var before = screen.Rows().Where(r => r.Length > 0).ToList();

            screen.Resize(screen.Width, pulledBack: 3); // the pane grew: tmux brings 3 scrolled-off rows back above
            Assert.Empty(chat.Peers.Run("Send-ChatMessage -Session $bob -Message 'after the resize'").Errors);
            await Eventually.True(() => screen.HasRow("bob: after the resize$") && screen.CursorRowText == "alice> draft", "bob's line shown");

            var after = screen.Rows().Where(r => r.Length > 0).ToList();
            Assert.Equal(before.Take(before.Count - 1), after.Take(before.Count - 1)); // the transcript is intact
            Assert.Matches("^" + Time + "bob: after the resize$", after[before.Count - 1]);
            Assert.Equal("alice> draft", after[before.Count]);                          // one prompt, under bob's line
            Assert.Equal(before.Count + 1, after.Count);
            Assert.Equal(screen.Rows().Count - 1, screen.Cursor.Y);

            chat.Keys.Key(0x1B).Line("/quit");
            run.FinishCleanly();
        }

        [Fact]
        public async Task NarrowingRewrappedInputIsDrawnAgainOnOneRow()
        {
            var draft = string.Join(" ", Enumerable.Range(0, 15).Select(i => $"d{i:00}")); // 59 characters
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed().Type(draft);

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            await Eventually.True(() => screen.CursorRowText == "alice> " + draft, "the draft drawn");

            screen.Resize(40, pulledBack: 0); // tmux splits the 66-cell input line over two rows, the cursor on the second
            await Eventually.True(() => screen.CursorRowText.StartsWith("alice> ", StringComparison.Ordinal)
                && screen.CursorRowText.EndsWith("d14", StringComparison.Ordinal), "the input line drawn again for 40 columns");
            var rows = screen.Rows();
            Assert.All(rows.Skip(screen.Cursor.Y + 1), r => Assert.Equal(string.Empty, r)); // the second row it took is blank
            Assert.True(ScriptedScreen.Cells(screen.CursorRowText) < 40, screen.ToString());
            Assert.Equal(1, rows.Count(r => r.Contains("alice>", StringComparison.Ordinal) || Regex.IsMatch(r, @"\bd\d\d\b")));

            chat.Keys.Key(0x1B).Line("/quit");
            run.FinishCleanly();
        }

        [Fact]
        public async Task WideCharactersTakeTwoCellsAndAreSentWhole()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed().Type("你好世界");

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            await Eventually.True(() => screen.CursorRowText == "alice> 你好世界", "the CJK input drawn");
            Assert.Equal("alice> ".Length + 8, screen.Cursor.X); // four wide characters: eight cells
            chat.Keys.Key(0x25).Key(0x25).Type("!")                   // two to the left: between 好 and 世
                .WaitUntil(() => screen.CursorRowText == "alice> 你好!世界" && screen.Cursor.X == "alice> ".Length + 5, "the caret after the inserted '!'")
                .Enter()
                .WaitUntil(() => screen.HasRow("^" + Time + "alice: 你好!世界$"), "the line shown")
                .Line("/quit");
            run.FinishCleanly();
            Assert.Equal("你好!世界", chat.ReceiveOne("bob", "-Kind Message -From alice").Text);
        }

        [Fact]
        public void LongLinesWrapAtSpacesIndentedUnderTheText()
        {
            var words = string.Join(" ", Enumerable.Range(0, 30).Select(i => $"word{i:00}")); // 209 characters
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .Line(words)
                .WaitUntil(() => screen.HasRow(" word29$"), "the line shown to its end")
                .Line("/quit");
            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            run.FinishCleanly();

            var rows = screen.Rows();
            int first = screen.FindRow("^" + Time + "alice: word00");
            var shown = rows.Skip(first).TakeWhile((r, i) => i == 0 || r.StartsWith(" ", StringComparison.Ordinal)).ToList();
            Assert.True(shown.Count >= 3, screen.ToString());
            Assert.All(shown, r => Assert.True(r.Length < screen.Width, $"row reaches the last column: '{r}'"));
            Assert.All(shown.Skip(1), r => Assert.Matches("^ {18}word", r)); // under the text: "[hh:mm:ss] alice: " is 18 wide
            Assert.Equal(words, string.Join(" ", shown.Select(r => r.Substring(r.IndexOf("word", StringComparison.Ordinal)))));
        }

        [Fact]
        public void TabCompletesMemberNamesAndCommands()
        {
            const int Tab = 0x09;
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .Type("/msg b").Key(Tab, '\t')
                .WaitUntil(() => screen.CursorRowText == "alice> /msg bob", "the member name completed")
                .Line("psst")
                .WaitUntil(() => screen.HasRow("^" + Time + @"alice \(to bob\): psst$"), "the direct message shown")
                .Type("/w").Key(Tab, '\t').Enter()
                .WaitUntil(() => screen.HasRow(@"^Members \(3\): alice \(you\), bob, carol$"), "/who completed and run")
                .Type("/m").Key(Tab, '\t')
                .WaitUntil(() => screen.HasRow("^/me  /msg$") && screen.CursorRowText == "alice> /m", "the candidates listed")
                .Key(0x1B).Line("/quit");

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            run.FinishCleanly();
            var direct = chat.ReceiveOne("bob", "-Kind Message -From alice");
            Assert.Equal("psst", direct.Text);
            Assert.True(direct.IsDirect);
        }

        [Fact]
        public void CtrlLClearsTheWindowAndDrawsTheInputAtItsTop()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .WaitUntil(() => screen.HasRow(@"\*\*\* carol joined$"), "the joins shown")
                .Type("draft").Key(0x4C, '\u000C', Ctrl)
                .WaitUntil(() => screen.Cursor.Y == screen.WindowTop && screen.CursorRowText == "alice> draft", "the input at the window's top")
                .Key(0x1B).Line("/quit");

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            run.FinishCleanly();
            Assert.False(screen.HasRow("carol joined"), screen.ToString());
        }

        [Fact]
        public void CtrlWErasesAWordAndCtrlDOnAnEmptyLineLeaves()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            chat.KeysOnceMeshed()
                .Type("keep this not this").Key(0x57, '\u0017', Ctrl).Key(0x57, '\u0017', Ctrl).Enter()
                .WaitUntil(() => screen.HasRow("^" + Time + "alice: keep this$"), "the line sent without its last words")
                .Key(0x44, '\u0004', Ctrl);

            using var run = chat.Enter($"Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}' | Enter-ChatRoom");
            run.FinishCleanly();
            Assert.True(screen.HasRow("^Left the room\\. The session of 'alice' keeps running"), screen.ToString());
        }

        [Fact]
        public void HeaderShowsAddressesOthersCanDialAndTheJoinCommand()
        {
            using var chat = RoomChat.Start();
            var screen = chat.Screen;
            var start = chat.Room.Run($"$alice = Start-ChatPeer -UserName alice -Port 0 -Peer '{chat.Seed}'; $local = Start-ChatPeer -UserName solo -Port 0 -ListenAddress 127.0.0.1");
            Assert.True(start.Errors.Count == 0, start.ErrorText);
            int port = RoomChat.Session(chat.Room.Get("alice")).Port;
            int localPort = RoomChat.Session(chat.Room.Get("local")).Port;
            chat.Keys.WaitUntil(() => screen.HasRow("Others join at"), "the header shown").Line("/quit")
                .WaitUntil(() => screen.FindRow("Others join at 127\\.0\\.0\\.1:") >= 0, "the second header shown").Line("/quit");

            using var run = chat.Enter("Enter-ChatRoom -Session $alice; Enter-ChatRoom -Session $local");
            run.FinishCleanly();
            Assert.True(screen.HasRow($"^Others join at .*{Regex.Escape(Dns.GetHostName())}:{port}"), screen.ToString());
            Assert.True(screen.HasRow($@"^  Start-ChatPeer -UserName <name> -Peer \S+:{port} \| Enter-ChatRoom$"), screen.ToString());
            // Bound to loopback, the session can only be dialled there.
            Assert.True(screen.HasRow($@"^Others join at 127\.0\.0\.1:{localPort}, e\.g\. with:$"), screen.ToString());
            Assert.True(screen.HasRow($@"^  Start-ChatPeer -UserName <name> -Peer 127\.0\.0\.1:{localPort} \| Enter-ChatRoom$"), screen.ToString());
        }
    }
}
