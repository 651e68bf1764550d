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
        public void DirectMessagesReachOnlyTheNamedMembers()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ThreePeers + @"
$sent = Send-ChatMessage -Session $ann -To ben -Message 'only for ben' -PassThru
Send-ChatMessage -Session $ann -Message 'for everyone'
Wait-Until { $cat.MessagesReceived -eq 1 -and $ben.MessagesReceived -eq 2 } 'delivered'
$sent
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            var sent = Assert.Single(result.Objects<ChatMessage>());
            Assert.Equal(new[] { "ben" }, sent.Recipients);
            Assert.True(sent.IsDirect);
            Assert.True(sent.IsOwn);

            var ben = host.Run("Receive-ChatMessage -Session $ben").Objects<ChatMessage>();
            Assert.Equal(new[] { "only for ben", "for everyone" }, ben.Select(m => m.Text));
            Assert.Equal(new[] { "ben" }, ben[0].Recipients);
            var cat = host.Run("Receive-ChatMessage -Session $cat").Objects<ChatMessage>();
            Assert.Equal(new[] { "for everyone" }, cat.Select(m => m.Text));
        }

        [Fact]
        public void AnUnknownRecipientIsANonTerminatingErrorNamingIt()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ThreePeers + @"
Send-ChatMessage -Session $ann -To ben, nobody -Message 'hi there'
'still running'
");
            var error = Assert.Single(result.Errors);
            Assert.Equal("UnknownRecipient,PSGroupChat.Commands.SendChatMessageCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("nobody", error.TargetObject);
            Assert.Contains("'nobody'", error.Exception.Message);
            Assert.Equal("still running", result.Output.Last().ToString());
            // The known recipient still got it.
            var ben = host.Run(ScriptPrelude.WaitUntil + "Receive-ChatMessage -Session $ben -Wait -Count 1 -Timeout 30").Objects<ChatMessage>();
            Assert.Equal("hi there", Assert.Single(ben).Text);
        }

        [Fact]
        public void ReceiveFiltersByMemberAndKindAndLeavesTheRestQueued()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ThreePeers + @"
Send-ChatMessage -Session $ben -Message 'from ben'
Send-ChatMessage -Session $cat -Message 'from cat'
Wait-Until { $ann.MessagesReceived -eq 2 } 'delivered'
Stop-ChatPeer -Session $cat
Wait-Until { $ann.PeerCount -eq 1 } 'cat gone'
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            Assert.Equal(new[] { "from cat" }, host.Run("Receive-ChatMessage -Session $ann -From CAT -Kind Message").Objects<ChatMessage>().Select(m => m.Text));
            var left = Assert.Single(host.Run("Receive-ChatMessage -Session $ann -Kind Left").Objects<ChatMessage>());
            Assert.Equal("cat", left.Sender);
            // What the filters left behind is still there.
            Assert.Equal(new[] { "from ben" }, host.Run("Receive-ChatMessage -Session $ann").Objects<ChatMessage>().Select(m => m.Text));
        }

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

        [Fact]
        public void SessionEventsReachPowerShellsEventQueue()
        {
            // Register-ObjectEvent (a Utility cmdlet the hosted engine lacks) subscribes through this same engine API.
            using var host = new PowerShellHost();
            var result = host.Run(ScriptPrelude.WaitUntil + @"
$ann = Start-ChatPeer -UserName ann -Port 0
foreach ($name in 'MessageReceived', 'PeerJoined', 'PeerLeft') {
    $ExecutionContext.Events.SubscribeEvent($ann, $name, ""chat.$name"", $null, $null, $false, $false) | Out-Null
}
$ben = Start-ChatPeer -UserName ben -Port 0 -Peer ""127.0.0.1:$($ann.Port)""
Send-ChatMessage -Session $ben -Message 'evented'
Stop-ChatPeer -Session $ben
Wait-Until { $ExecutionContext.Events.ReceivedEvents.Count -ge 3 } 'three events queued'
# The event queue is filled from network threads; EventIdentifier rises in the order the events were raised.
$events = [System.Linq.Enumerable]::ToArray([System.Management.Automation.PSEventArgs[]] @($ExecutionContext.Events.ReceivedEvents))
[System.Array]::Sort($events, [System.Comparison[System.Management.Automation.PSEventArgs]] { param($x, $y) $x.EventIdentifier.CompareTo($y.EventIdentifier) })
$events | ForEach-Object { '{0}={1}' -f $_.SourceIdentifier, $_.SourceEventArgs.Message }
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            Assert.Equal(new[] { "chat.PeerJoined=ben joined", "chat.MessageReceived=ben: evented", "chat.PeerLeft=ben left (graceful)" },
                result.Output.Select(o => o.ToString()));
        }
    }
}
