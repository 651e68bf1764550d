using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Cmdlets
{
    /// <summary>Every failure is an ErrorRecord with a stable ErrorId, the right category and the target.</summary>
    public class ErrorRecordTests
    {
        /// <summary>A loopback port with nothing listening: bound, then released.</summary>
        private static int ClosedPort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        [Fact]
        public void AnUnreachableEndpointIsAConnectionErrorAndTheOthersAreStillTried()
        {
            using var host = new PowerShellHost();
            int closed = ClosedPort();
            var result = host.Run($@"
$ann = Start-ChatPeer -UserName ann -Port 0
$ben = Start-ChatPeer -UserName ben -Port 0 -Peer ""127.0.0.1:{closed}"", ""127.0.0.1:$($ann.Port)""
$ben.PeerCount
");
            var error = Assert.Single(result.Errors);
            Assert.Equal("EndpointUnreachable,PSGroupChat.Commands.StartChatPeerCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Equal($"127.0.0.1:{closed}", error.TargetObject.ToString()); // the engine's target: the endpoint
            Assert.Equal(1, (int)result.Output.Last().BaseObject); // the reachable member was joined all the same

            var connect = host.Run($"Connect-ChatPeer -Session $ann -Endpoint '127.0.0.1:{closed}'");
            Assert.Equal("EndpointUnreachable,PSGroupChat.Commands.ConnectChatPeerCommand", Assert.Single(connect.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void AMalformedEndpointIsAnInvalidArgumentShowingTheExpectedForm()
        {
            using var host = new PowerShellHost();
            var result = host.Run("$s = Start-ChatPeer -UserName ann -Port 0; 'nonsense', 'localhost:' | Connect-ChatPeer -Session $s");
            Assert.Equal(2, result.Errors.Count);
            foreach (var error in result.Errors)
            {
                Assert.Equal("MalformedEndpoint,PSGroupChat.Commands.ConnectChatPeerCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                Assert.Contains("host:port", error.Exception.Message);
            }
            Assert.Equal(new object[] { "nonsense", "localhost:" }, result.Errors.Select(e => e.TargetObject));
        }

        [Fact]
        public void APortInUseIsResourceUnavailable()
        {
            using var host = new PowerShellHost();
            var result = host.Run("$a = Start-ChatPeer -UserName ann -Port 0; Start-ChatPeer -UserName ben -Port $a.Port");
            var error = Assert.Single(result.Errors);
            Assert.Equal("PortInUse,PSGroupChat.Commands.StartChatPeerCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
            Assert.Contains("-Port", error.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void SendingOnAStoppedSessionIsAnInvalidOperation()
        {
            using var host = new PowerShellHost();
            var result = host.Run("$a = Start-ChatPeer -UserName ann -Port 0; Stop-ChatPeer -Session $a; Send-ChatMessage -Session $a -Message 'late'");
            var error = Assert.Single(result.Errors);
            Assert.Equal("SessionStopped,PSGroupChat.Commands.SendChatMessageCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.IsType<ChatSession>(error.TargetObject);
        }

        // Binding-time validation (port range, user names, empty and over-long messages) is tested case by case in
        // Hardening/CmdletInputTests.
    }
}
