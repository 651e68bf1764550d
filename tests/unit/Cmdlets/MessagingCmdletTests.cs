using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Cmdlets
{
    /// <summary>Sending and receiving as a PowerShell user does it: pipelines, filters, direct messages, bots.</summary>
    public class MessagingCmdletTests
    {
        private const string ThreePeers = ScriptPrelude.WaitUntil + @"
$ann = Start-ChatPeer -UserName ann -Port 0
$ben = Start-ChatPeer -UserName ben -Port 0 -Peer ""127.0.0.1:$($ann.Port)""
$cat = Start-ChatPeer -UserName cat -Port 0 -Peer ""127.0.0.1:$($ann.Port)""
Wait-Until { $ann.PeerCount -eq 2 -and $ben.PeerCount -eq 2 -and $cat.PeerCount -eq 2 } 'a full mesh'
foreach ($s in $ann, $ben, $cat) { Receive-ChatMessage -Session $s -Kind Joined | Out-Null }
";

        [Fact]
        public void IncludeOwnShowsOwnMessagesInOrderAmongTheOthers()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ThreePeers + @"
Send-ChatMessage -Session $ann -Message 'ann 1'
Wait-Until { $ben.MessagesReceived -eq 1 } 'ann 1 delivered'
Send-ChatMessage -Session $ben -Message 'ben 1'
Wait-Until { $ann.MessagesReceived -eq 1 } 'ben 1 delivered'
Send-ChatMessage -Session $ann -Message 'ann 2'
Receive-ChatMessage -Session $ann -IncludeOwn | ForEach-Object { '{0}:{1}' -f $_.Sender, $_.Text }
'--'
Receive-ChatMessage -Session $ben | ForEach-Object Text
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            var lines = result.Output.Select(o => o.ToString()).ToList();
            Assert.Equal(new[] { "ann:ann 1", "ben:ben 1", "ann:ann 2", "--", "ann 1" }, lines.Take(5));
        }

        [Fact]
        public void AnEchoBotAnswersEachOfThreeMessages()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ThreePeers + @"
foreach ($i in 1..3) { Send-ChatMessage -Session $ben -Message ""question $i"" }
Receive-ChatMessage -Session $ann -Wait -Count 3 -Timeout 60 | Where-Object Kind -eq Message | ForEach-Object { Send-ChatMessage -Session $ann -Message (""echo "" + $_.Text) }
Receive-ChatMessage -Session $ben -Wait -Count 3 -Timeout 60 | ForEach-Object Text
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            Assert.Equal(new[] { "echo question 1", "echo question 2", "echo question 3" }, result.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void AFullInboxKeepsTheNewestCountsTheDropsAndWarnsOnce()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ScriptPrelude.WaitUntil + @"
$quiet = Start-ChatPeer -UserName quiet -Port 0 -InboxCapacity 1000
$loud = Start-ChatPeer -UserName loud -Port 0 -Peer ""127.0.0.1:$($quiet.Port)""
1..50000 | Send-ChatMessage -Session $loud
Wait-Until { $quiet.MessagesReceived -eq 50000 } 'all 50,000 arrived' 120
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            var quiet = (ChatSession)host.Get("quiet")!;
            Assert.Equal(1000, quiet.Inbox.Count);
            Assert.Equal(50_001 - 1000, quiet.MessagesDropped); // 50,000 messages and the join notice, less the 1,000 kept

            var drained = host.Run("Receive-ChatMessage -Session $quiet");
            var kept = drained.Objects<ChatMessage>();
            Assert.Equal(Enumerable.Range(49_001, 1000).Select(i => i.ToString()), kept.Select(m => m.Text));
            var warning = Assert.Single(drained.Warnings);
            Assert.Contains("49001", warning.Message);
            Assert.Contains("-InboxCapacity", warning.Message);
            Assert.Empty(host.Run("Receive-ChatMessage -Session $quiet").Warnings); // reported once
        }

        [Fact]
        public void StoppingAWaitingReceiveReturnsPromptly()
        {
            using var host = new PowerShellHost();
            host.Run("$s = Start-ChatPeer -UserName waiter -Port 0");
            using var ps = host.Create("Receive-ChatMessage -Session $s -Wait");
            var running = ps.BeginInvoke();
            var started = Stopwatch.StartNew();
            while (ps.InvocationStateInfo.State != PSInvocationState.Running)
            {
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), "the pipeline never started");
                System.Threading.Thread.Yield();
            }
            var stopping = Stopwatch.StartNew();
            ps.Stop();
            stopping.Stop();
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"Stop took {stopping.Elapsed}");
            // The session is untouched by the interrupted receive.
            Assert.Equal("Running", host.Run("$s.State").Output[0].ToString());
        }
    }
}
