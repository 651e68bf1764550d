using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Cmdlets
{
    /// <summary>Get-ChatSession, Get-ChatPeer, and how -Session is found: from a parameter, the pipeline, or the runspace.</summary>
    public class SessionCmdletTests
    {
        [Fact]
        public void GetChatSessionListsRunningAndStoppedSessionsWithCounters()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ScriptPrelude.WaitUntil + @"
$a = Start-ChatPeer -UserName ann -Port 0
$b = Start-ChatPeer -UserName ben -Port 0 -Peer ""127.0.0.1:$($a.Port)""
Wait-Until { $a.PeerCount -eq 1 } 'linked'
Send-ChatMessage -Session $a -Message 'one'
Send-ChatMessage -Session $a -Message 'two'
Wait-Until { $b.MessagesReceived -eq 2 } 'delivered'
Stop-ChatPeer -Session $b
Get-ChatSession
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            var sessions = result.Objects<ChatSession>();
            Assert.Equal(new[] { "ann", "ben" }, sessions.Select(s => s.UserName));
            Assert.Equal(ChatSessionState.Running, sessions[0].State);
            Assert.Equal(ChatSessionState.Stopped, sessions[1].State);
            Assert.Equal(2, sessions[0].MessagesSent);
            Assert.Equal(2, sessions[1].MessagesReceived);
            Assert.Equal(0, sessions[1].MessagesDropped);
            Assert.NotEqual(0, sessions[1].Port); // a stopped session still tells which port it had
            Assert.EndsWith(":" + sessions[1].Port, sessions[1].ListenEndpoint);
            Assert.EndsWith(":" + sessions[0].Port, sessions[0].ListenEndpoint);

            var running = host.Run("Get-ChatSession -State Running | ForEach-Object UserName").Output.Select(o => o.ToString());
            Assert.Equal(new[] { "ann" }, running);
            Assert.Equal(new[] { "ben" }, host.Run("Get-ChatSession -UserName b* | ForEach-Object UserName").Output.Select(o => o.ToString()));
        }

        [Fact]
        public void RemoveChatSessionForgetsStoppedSessionsAndStopsRunningOnes()
        {
            using var host = new PowerShellHost();
            var result = host.Run(@"
$ann = Start-ChatPeer -UserName ann -Port 0
$ben = Start-ChatPeer -UserName ben -Port 0
$cat = Start-ChatPeer -UserName cat -Port 0
Stop-ChatPeer -Session $ben
Get-ChatSession -State Stopped | Remove-ChatSession
$cat | Remove-ChatSession -WhatIf
Get-ChatSession | ForEach-Object UserName
'--'
$cat | Remove-ChatSession
$cat.State
Get-ChatSession | ForEach-Object UserName
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            Assert.Equal(new[] { "ann", "cat", "--", "Stopped", "ann" }, result.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void GetChatPeerDescribesEachMember()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ScriptPrelude.WaitUntil + @"
$a = Start-ChatPeer -UserName ann -Port 0
$b = Start-ChatPeer -UserName ben -Port 0 -Peer ""127.0.0.1:$($a.Port)""
Wait-Until { $a.PeerCount -eq 1 } 'linked'
$b | Get-ChatPeer
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            var peer = Assert.Single(result.Objects<ChatPeer>());
            Assert.Equal("ann", peer.UserName);
            Assert.Equal(PeerDirection.Outbound, peer.Direction);
            Assert.Equal(PeerState.Connected, peer.State);
            Assert.Equal("127.0.0.1", peer.Endpoint!.Host);
            Assert.True(peer.LastSeen >= peer.ConnectedSince.AddSeconds(-1));
            Assert.Equal("ben", peer.SessionUser);
        }

        [Fact]
        public void ConnectChatPeerTakesEndpointsFromThePipelineAndWritesTheMembers()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ScriptPrelude.WaitUntil + @"
$ann = Start-ChatPeer -UserName ann -Port 0
$ben = Start-ChatPeer -UserName ben -Port 0
$cat = Start-ChatPeer -UserName cat -Port 0
""127.0.0.1:$($ann.Port)"", ""[::1]:$($ben.Port)"" | Connect-ChatPeer -Session $cat
Wait-Until { $ann.PeerCount -eq 2 -and $ben.PeerCount -eq 2 } 'ann and ben linked through what cat told them'
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            Assert.Equal(new[] { "ann", "ben" }, result.Objects<ChatPeer>().Select(p => p.UserName));
        }

        [Fact]
        public void SessionComesFromThePipelineOrIsTheOneRunningSession()
        {
            using var host = new PowerShellHost();
            var result = host.Run(ScriptPrelude.WaitUntil + @"
$a = Start-ChatPeer -UserName ann -Port 0
'implicit' | Send-ChatMessage          # exactly one session running: -Session may be left out
$a | Send-ChatMessage 'piped session'
Receive-ChatMessage -IncludeOwn | ForEach-Object Text
Get-ChatSession | Stop-ChatPeer -PassThru | ForEach-Object State
");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            Assert.Equal(new[] { "implicit", "piped session", "Stopped" }, result.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void WithoutASessionOrWithSeveralTheErrorSaysWhatToPass()
        {
            using var host = new PowerShellHost();
            var none = host.Run("Send-ChatMessage 'hello'");
            Assert.Equal("NoChatSession,PSGroupChat.Commands.SendChatMessageCommand", Assert.Single(none.Errors).FullyQualifiedErrorId);
            Assert.Contains("Start-ChatPeer", none.Errors[0].ErrorDetails.RecommendedAction);

            var several = host.Run("$a = Start-ChatPeer ann -Port 0; $b = Start-ChatPeer ben -Port 0; Receive-ChatMessage");
            var error = Assert.Single(several.Errors);
            Assert.Equal("SeveralChatSessions,PSGroupChat.Commands.ReceiveChatMessageCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Contains("'ann'", error.Exception.Message);
            Assert.Contains("-Session (Get-ChatSession -UserName 'ann')", error.ErrorDetails.RecommendedAction);
        }

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
