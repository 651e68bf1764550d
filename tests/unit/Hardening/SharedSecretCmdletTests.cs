using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text.Json;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// Start-ChatPeer -SharedSecret through the imported module: members holding the secret chat; a peer without it or
    /// with a wrong one gets one error that says authentication failed, sees nothing, and appears in no member's log as
    /// joined; the secret appears in no log and no stream.
    /// </summary>
    public class SharedSecretCmdletTests
    {
        private const string TheSecret = "correct horse battery staple";
        private const string WrongSecret = "correct horse battery stapler";

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        [Fact]
        public void OnlyPeersHoldingTheSecretJoinAndTheOthersAreToldOnlyThatAuthenticationFailed()
        {
            // -LogPath creates no folders: the folder is made here.
            string folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "psgroupchat-auth-" + Guid.NewGuid().ToString("N"))).FullName;
            using var host = new PowerShellHost();
            host.Set("secret", Secure(TheSecret));
            host.Set("wrong", Secure(WrongSecret));
            host.Set("logs", folder);
            try
            {
                var setup = host.Run(ScriptPrelude.WaitUntil + @"
$alice = Start-ChatPeer -UserName alice -Port 0 -SharedSecret $secret -LogPath ([System.IO.Path]::Combine($logs, 'alice.jsonl')) -Debug
$bob = Start-ChatPeer -UserName bob -Port 0 -SharedSecret $secret -LogPath ([System.IO.Path]::Combine($logs, 'bob.jsonl')) -Peer ""127.0.0.1:$($alice.Port)"" -Debug
Wait-Until { $alice.PeerCount -eq 1 -and $bob.PeerCount -eq 1 } 'alice and bob linked'
Send-ChatMessage -Session $alice -Message 'before the intruders'
");
                Assert.True(setup.Errors.Count == 0, setup.ErrorText);

                // Both ways in: the intruder dials a member, and a member dials the intruder.
                var intruders = new[]
                {
                    ("mallory", "-SharedSecret $wrong"),
                    ("nobody", ""),
                };
                foreach (var (name, secretArgument) in intruders)
                {
                    // Started alone, then joined: Start-ChatPeer -Peer would stop a session that joins no one, and the
                    // intruder must stay up to be dialed below.
                    var join = host.Run($@"${name} = Start-ChatPeer -UserName {name} -Port 0 {secretArgument} -LogPath ([System.IO.Path]::Combine($logs, '{name}.jsonl'))
Connect-ChatPeer -Session ${name} -Endpoint ""127.0.0.1:$($alice.Port)"" -Debug");
                    AssertOnlyAuthenticationFailed(join, "ConnectChatPeerCommand", "127.0.0.1:" + host.Run("$alice.Port").Output[0]);
                    var dialed = host.Run($@"Connect-ChatPeer -Session $bob -Endpoint ""127.0.0.1:$(${name}.Port)"" -Debug");
                    AssertOnlyAuthenticationFailed(dialed, "ConnectChatPeerCommand", "127.0.0.1:" + host.Run($"${name}.Port").Output[0]);
                    foreach (var result in new[] { join, dialed })
                    {
                        // -Debug passes the session's log to the debug and verbose streams: the check has something to look at.
                        var shown = result.Debug.Select(d => d.Message).Concat(result.Verbose.Select(v => v.Message)).ToList();
                        Assert.Contains(shown, line => line.Contains("HandshakeFailed") || line.Contains("DialFailed"));
                        AssertSecretsAbsent(string.Join("\n", shown));
                    }
                }

                var after = host.Run(@"
Send-ChatMessage -Session $alice -Message 'after the intruders'
Send-ChatMessage -Session $bob -Message 'bob is still here'
Receive-ChatMessage -Session $bob -Kind Message -Wait -Count 2 -Timeout 30
Receive-ChatMessage -Session $alice -Kind Message -Wait -Count 1 -Timeout 30
");
                Assert.True(after.Errors.Count == 0, after.ErrorText);
                Assert.Equal(new[] { "before the intruders", "after the intruders", "bob is still here" }, after.Objects<ChatMessage>().Select(m => m.Text));

                // The intruders saw nothing: no member, no notice, no message, though the chat went on around them.
                var seen = host.Run(@"
foreach ($s in $mallory, $nobody) { $s.PeerCount; @(Receive-ChatMessage -Session $s -IncludeOwn).Count; @(Get-ChatPeer -Session $s).Count }
$alice.PeerCount; $bob.PeerCount
Stop-ChatPeer -Session $alice, $bob, $mallory, $nobody
");
                Assert.True(seen.Errors.Count == 0, seen.ErrorText);
                Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 1, 1 }, seen.Output.Select(o => Convert.ToInt32(o.BaseObject)));

                // The members' logs: the other member joined; no intruder did, and each attempt is a logged refusal.
                foreach (var (member, other) in new[] { ("alice", "bob"), ("bob", "alice") })
                {
                    var events = File.ReadAllLines(Path.Combine(folder, member + ".jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
                    var joined = events.Where(e => e.GetProperty("event").GetString() == "PeerJoined").Select(e => e.GetProperty("peer").GetString());
                    Assert.Equal(new[] { other }, joined);
                    Assert.Equal(2, events.Count(e => e.GetProperty("event").GetString() == "HandshakeFailed" && e.GetProperty("code").GetString() == "auth-failed"));
                }
                foreach (var file in Directory.GetFiles(folder)) AssertSecretsAbsent(File.ReadAllText(file));
            }
            finally
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
        }

        private static void AssertOnlyAuthenticationFailed(ScriptResult result, string command, string endpoint)
        {
            var error = Assert.Single(result.Errors);
            Assert.Equal($"AuthenticationFailed,PSGroupChat.Commands.{command}", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            // Nothing more: not whose chat it was, not who is in it, not what was wrong with the secret.
            Assert.Equal($"Authentication with {endpoint} failed: the two sides do not hold the same -SharedSecret, or something between them relays the connection with keys of its own.", error.Exception.Message);
        }

        private static void AssertSecretsAbsent(string text)
        {
            Assert.DoesNotContain("correct horse", text);
            Assert.DoesNotContain("battery", text);
        }
    }
}
