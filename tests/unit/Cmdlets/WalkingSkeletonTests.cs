using System.Diagnostics;
using System.Linq;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Cmdlets
{
    /// <summary>The whole path, through the imported module: start, connect, send, receive, stop, be told.</summary>
    public class WalkingSkeletonTests
    {
        private const int PerSender = 25;

        [Fact]
        public void SeedTopologyExchangesEveryMessageOnceInOrderAndReportsTheLeave()
        {
            using var host = new PowerShellHost();
            var setup = host.Run(ScriptPrelude.WaitUntil + @"
$p0 = Start-ChatPeer -UserName P0 -Port 0
$p1 = Start-ChatPeer -UserName P1 -Port 0 -Peer ""127.0.0.1:$($p0.Port)""
$p2 = Start-ChatPeer -UserName P2 -Port 0 -Peer ""127.0.0.1:$($p0.Port)"", ""localhost:$($p1.Port)""
Wait-Until { $p0.PeerCount -eq 2 -and $p1.PeerCount -eq 2 -and $p2.PeerCount -eq 2 } 'a full mesh of three'
foreach ($i in 1..$args[0]) {
    foreach ($p in $p0, $p1, $p2) { Send-ChatMessage -Session $p -Message ""$($p.UserName) says $i"" }
}
", args: new object[] { PerSender });
            Assert.True(setup.Errors.Count == 0, setup.ErrorText);

            foreach (var receiver in new[] { "p0", "p1", "p2" })
            {
                var received = host.Run($"Receive-ChatMessage -Session ${receiver} -Kind Message -Wait -Count {2 * PerSender} -Timeout 60").Objects<ChatMessage>();
                Assert.Equal(2 * PerSender, received.Count);
                var self = receiver.ToUpperInvariant();
                foreach (var sender in new[] { "P0", "P1", "P2" }.Where(s => s != self))
                {
                    var texts = received.Where(m => m.Sender == sender).Select(m => m.Text).ToList();
                    Assert.Equal(Enumerable.Range(1, PerSender).Select(i => $"{sender} says {i}"), texts);
                    var sequences = received.Where(m => m.Sender == sender).Select(m => m.Sequence).ToList();
                    Assert.Equal(sequences.OrderBy(s => s), sequences);
                    Assert.Equal(sequences.Count, received.Where(m => m.Sender == sender).Select(m => m.Id).Distinct().Count());
                }
                // Nothing more: no duplicate arrived after the expected ones.
                Assert.Empty(host.Run($"Receive-ChatMessage -Session ${receiver} -Kind Message").Output);
            }

            var stop = host.Run("Stop-ChatPeer -Session $p1 -Reason 'bye'");
            Assert.True(stop.Errors.Count == 0, stop.ErrorText);
            foreach (var receiver in new[] { "p0", "p2" })
            {
                var left = host.Run($"Receive-ChatMessage -Session ${receiver} -Kind Left -Wait -Count 1 -Timeout 30").Objects<ChatMessage>();
                var notice = Assert.Single(left);
                Assert.Equal("P1", notice.Sender);
                Assert.Equal(LeaveReason.Graceful, notice.Reason);
                Assert.Equal("bye", notice.Text);
            }
            Assert.True((bool)host.Run("$p1.State -eq 'Stopped' -and $p0.PeerCount -eq 1").Output[0].BaseObject);
        }

        [Fact]
        public void DuplicateUserNameIsRefusedWithAnErrorNamingTheUser()
        {
            using var host = new PowerShellHost();
            var result = host.Run(@"
$first = Start-ChatPeer -UserName alice -Port 0
$second = Start-ChatPeer -UserName Alice -Port 0 -Peer ""127.0.0.1:$($first.Port)""
$second
");
            var error = Assert.Single(result.Errors);
            Assert.True(error.FullyQualifiedErrorId == "UserNameTaken,PSGroupChat.Commands.StartChatPeerCommand", result.ErrorText);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Contains("'Alice'", error.Exception.Message);
            Assert.Empty(result.Output);
            Assert.Equal(0, (int)host.Run("$first.PeerCount").Output[0].BaseObject);
        }

        [Fact]
        public void ReceiveWaitTimeoutReturnsQuietlyAfterAboutASecond()
        {
            using var host = new PowerShellHost();
            host.Run("$s = Start-ChatPeer -UserName lonely -Port 0");
            var watch = Stopwatch.StartNew();
            var result = host.Run("Receive-ChatMessage -Session $s -Wait -Timeout 1");
            watch.Stop();
            Assert.Empty(result.Output);
            Assert.Empty(result.Errors);
            Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 10);
        }
    }
}
