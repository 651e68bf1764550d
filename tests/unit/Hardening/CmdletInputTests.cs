using System;
using System.Linq;
using System.Management.Automation;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>One imported module shared by the input tests of a class: they only start short-lived sessions.</summary>
    public sealed class ModuleHostFixture : IDisposable
    {
        public PowerShellHost Host { get; } = new PowerShellHost();

        public void Dispose() => Host.Dispose();
    }

    /// <summary>
    /// Bad input to the cmdlets, through the imported module: each gives a clear error, either at binding or as a
    /// non-terminating error with a stable ErrorId, and none hangs (every script runs under a limit).
    /// </summary>
    public class CmdletInputTests : IClassFixture<ModuleHostFixture>
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
        private readonly PowerShellHost _host;

        public CmdletInputTests(ModuleHostFixture fixture) => _host = fixture.Host;

        private ScriptResult Run(string script, params object[] args) => _host.Run(script, args: args, limit: Limit);

        [Theory]
        [InlineData("localhost", "the port is missing")]
        [InlineData("localhost:", "the port is missing")]
        [InlineData(":80", "the host is missing")]
        [InlineData("localhost:99999", "not a number from 1 to 65535")]
        [InlineData("localhost:0", "not a number from 1 to 65535")]
        [InlineData("localhost:-1", "not a number from 1 to 65535")]
        [InlineData("[::1", "no closing ']'")]
        [InlineData("[::1]:", "the port is missing")]
        [InlineData("::1:80", "needs brackets")]
        [InlineData("   ", "it is empty")]
        [InlineData("a b:80", "contains ' '")]
        public void AMalformedEndpointIsANonTerminatingErrorOnBothCmdletsThatDial(string endpoint, string problem)
        {
            var start = Run(@"
Start-ChatPeer -UserName starter -Port 0 -Peer $args[0]
Get-ChatSession -UserName starter", endpoint);
            var error = Assert.Single(start.Errors);
            Assert.Equal("MalformedEndpoint,PSGroupChat.Commands.StartChatPeerCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(problem, error.Exception.Message);
            Assert.Contains(ChatEndpoint.ExpectedForm, error.Exception.Message);
            Assert.Empty(start.Output); // found before the listener starts: no session is started or left behind

            var connect = Run(@"
$s = Start-ChatPeer -UserName connector -Port 0
try { Connect-ChatPeer -Session $s -Endpoint $args[0] } finally { Stop-ChatPeer -Session $s }", endpoint);
            error = Assert.Single(connect.Errors);
            Assert.Equal("MalformedEndpoint,PSGroupChat.Commands.ConnectChatPeerCommand", error.FullyQualifiedErrorId);
            Assert.Contains(problem, error.Exception.Message);
            Assert.Empty(connect.Output);
        }

        [Fact]
        public void AnEmptyEndpointIsRefusedAtBinding()
        {
            var start = Run("Start-ChatPeer -UserName starter -Port 0 -Peer ''");
            Assert.Equal("ParameterArgumentValidationError,PSGroupChat.Commands.StartChatPeerCommand", Assert.Single(start.Errors).FullyQualifiedErrorId);
            Assert.Empty(start.Output);
            var connect = Run(@"
$s = Start-ChatPeer -UserName connector -Port 0
try { Connect-ChatPeer -Session $s -Endpoint '' } finally { Stop-ChatPeer -Session $s }");
            Assert.Equal("ParameterArgumentValidationError,PSGroupChat.Commands.ConnectChatPeerCommand", Assert.Single(connect.Errors).FullyQualifiedErrorId);
        }

        [Theory]
        [InlineData(-1, "minimum allowed range of 0")]
        [InlineData(65536, "maximum allowed range of 65535")]
        [InlineData(99999, "maximum allowed range of 65535")]
        public void APortOutOfRangeIsRefusedAtBinding(int port, string reason)
        {
            var result = Run("Start-ChatPeer -UserName porter -Port $args[0]", port);
            var error = Assert.Single(result.Errors);
            Assert.Equal("ParameterArgumentValidationError,PSGroupChat.Commands.StartChatPeerCommand", error.FullyQualifiedErrorId);
            Assert.Contains("'Port'", error.Exception.Message);
            Assert.Contains(reason, error.Exception.Message);
            Assert.Empty(result.Output);
        }

        [Theory]
        [InlineData("", "ParameterArgumentValidationError", "must not be empty")]
        [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "ParameterArgumentValidationError", "at most 32")]
        [InlineData("tab\there", "ParameterArgumentValidationError", "U+0009")]
        [InlineData("bell\u0007", "ParameterArgumentValidationError", "U+0007")]
        [InlineData("nul\0x", "ParameterArgumentValidationError", "U+0000")]
        [InlineData("\u001b[31mred", "ParameterArgumentValidationError", "U+001B")]
        [InlineData("line\nbreak", "ParameterArgumentValidationError", "U+000A")]
        [InlineData("two words", "ParameterArgumentValidationError", "white space")]
        public void ABadUserNameIsRefusedAtBindingWithTheReason(string userName, string errorId, string reason)
        {
            var result = Run("Start-ChatPeer -UserName $args[0] -Port 0", userName);
            var error = Assert.Single(result.Errors);
            Assert.Equal(errorId + ",PSGroupChat.Commands.StartChatPeerCommand", error.FullyQualifiedErrorId);
            Assert.Contains(reason, error.Exception.Message);
            Assert.Empty(result.Output);
            Assert.Empty(Run("Get-ChatSession | Where-Object State -eq Running").Output);
        }

        [Fact]
        public void AnOverLongOrEmptyMessageIsRefusedAndTheMessagesAroundItAreSent()
        {
            var result = Run(ScriptPrelude.WaitUntil + @"
$a = Start-ChatPeer -UserName sender -Port 0
$b = Start-ChatPeer -UserName listener -Port 0 -Peer ""127.0.0.1:$($a.Port)""
Wait-Until { $a.PeerCount -eq 1 } 'linked'
# Bad pipeline input costs only its own record; a bad argument ends only its own statement.
'first', ('x' * ($args[0] + 1)), '', 'last' | Send-ChatMessage -Session $a
Send-ChatMessage -Session $a -Message ('y' * ($args[0] + 1))
Receive-ChatMessage -Session $b -Kind Message -Wait -Count 2 -Timeout 30
Stop-ChatPeer -Session $a, $b", ChatLimits.MaxMessageLength);
            Assert.Equal(new[] { "first", "last" }, result.Objects<ChatMessage>().Select(m => m.Text));
            Assert.Equal(3, result.Errors.Count);
            Assert.All(result.Errors, e => Assert.Equal("ParameterArgumentValidationError,PSGroupChat.Commands.SendChatMessageCommand", e.FullyQualifiedErrorId));
            Assert.Equal(2, result.Errors.Count(e => e.Exception.Message.Contains($"at most {ChatLimits.MaxMessageLength}")));
            Assert.Single(result.Errors, e => e.Exception.Message.Contains("must not be empty"));
        }
    }
}
