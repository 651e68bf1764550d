using System.Linq;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Cmdlets
{
    /// <summary>
    /// One session used from two runspaces at once: engine concurrency under the cmdlets. How -Session binds and
    /// resolves is tested in real pwsh, in tests/pester/Commands.
    /// </summary>
    public class SessionCmdletTests
    {
        [Fact]
        public async Task TwoRunspacesSendAndReceiveOnOneSessionAtOnce()
        {
            const int PerRunspace = 1500;
            using var first = new PowerShellHost();
            using var second = new PowerShellHost();
            var setup = first.Run(ScriptPrelude.WaitUntil + @"
$shared = Start-ChatPeer -UserName shared -Port 0
$other = Start-ChatPeer -UserName other -Port 0 -Peer ""127.0.0.1:$($shared.Port)""
Wait-Until { $shared.PeerCount -eq 1 } 'linked'
");
            Assert.True(setup.Errors.Count == 0, setup.ErrorText);
            second.Set("shared", first.Get("shared"));
            second.Set("other", first.Get("other"));

            // Both runspaces send on the shared session at once...
            string send = "param($count, $who) 1..$count | ForEach-Object { \"$who $_\" } | Send-ChatMessage -Session $shared";
            var sends = new[] { Task.Run(() => first.Run(send, args: new object[] { PerRunspace, "first" })),
                                Task.Run(() => second.Run(send, args: new object[] { PerRunspace, "second" })) };
            foreach (var r in await Task.WhenAll(sends)) Assert.True(r.Errors.Count == 0, r.ErrorText);

            var other = (ChatSession)first.Get("other")!;
            await Eventually.True(() => other.MessagesReceived == 2 * PerRunspace, "every message delivered");
            var received = other.Inbox.Take(m => m.Kind == ChatMessageKind.Message);
            foreach (var who in new[] { "first", "second" })
            {
                Assert.Equal(Enumerable.Range(1, PerRunspace).Select(i => $"{who} {i}"), received.Where(m => m.Text.StartsWith(who)).Select(m => m.Text));
            }
            Assert.Equal(received.Select(m => m.Sequence).OrderBy(s => s), received.Select(m => m.Sequence));

            // ...and both drain its inbox at once, together receiving every message exactly once.
            var shared = (ChatSession)first.Get("shared")!;
            var otherSession = other;
            for (int i = 1; i <= 2 * PerRunspace; i++) otherSession.Send("back " + i);
            await Eventually.True(() => shared.MessagesReceived == 2 * PerRunspace, "replies delivered");
            string drain = "Receive-ChatMessage -Session $shared -Kind Message | ForEach-Object Text";
            var drains = new[] { Task.Run(() => first.Run(drain)), Task.Run(() => second.Run(drain)) };
            var texts = (await Task.WhenAll(drains)).SelectMany(r => r.Output.Select(o => o.ToString())).ToList();
            Assert.Equal(2 * PerRunspace, texts.Count);
            Assert.Equal(2 * PerRunspace, texts.Distinct().Count());
        }
    }
}
