using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Cmdlets
{
    public class LogFileTests : IDisposable
    {
        private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "psgroupchat-log-" + Guid.NewGuid().ToString("N"))).FullName;

        [Fact]
        public void AThreePeerExchangeLogsOneJsonLinePerSentAndReceivedMessage()
        {
            using var host = new PowerShellHost();
            var result = host.Run("param($folder)\n" + ScriptPrelude.WaitUntil + @"
$ann = Start-ChatPeer -UserName ann -Port 0 -LogPath ([System.IO.Path]::Combine($folder, 'ann.jsonl'))
$ben = Start-ChatPeer -UserName ben -Port 0 -LogPath ([System.IO.Path]::Combine($folder, 'ben.jsonl')) -Peer ""127.0.0.1:$($ann.Port)""
$cat = Start-ChatPeer -UserName cat -Port 0 -LogPath ([System.IO.Path]::Combine($folder, 'cat.jsonl')) -Peer ""127.0.0.1:$($ann.Port)""
Wait-Until { $ann.PeerCount -eq 2 -and $ben.PeerCount -eq 2 -and $cat.PeerCount -eq 2 } 'a full mesh'
foreach ($i in 1..5) { foreach ($s in $ann, $ben, $cat) { Send-ChatMessage -Session $s -Message ""$($s.UserName) line $i"" } }
Wait-Until { ($ann.MessagesReceived + $ben.MessagesReceived + $cat.MessagesReceived) -eq 30 } 'all delivered'
$ann, $ben, $cat | Stop-ChatPeer
", args: new object[] { _folder });
            Assert.True(result.Errors.Count == 0, result.ErrorText);

            foreach (var user in new[] { "ann", "ben", "cat" })
            {
                // Complete once Stop-ChatPeer returned: every line is whole JSON.
                var lines = File.ReadAllLines(Path.Combine(_folder, user + ".jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
                Assert.All(lines, l => Assert.Equal(user, l.GetProperty("user").GetString()));
                var sent = lines.Where(l => l.GetProperty("event").GetString() == "MessageSent").ToList();
                var received = lines.Where(l => l.GetProperty("event").GetString() == "MessageReceived").ToList();
                Assert.Equal(Enumerable.Range(1, 5).Select(i => $"{user} line {i}"), sent.Select(l => l.GetProperty("text").GetString()));
                Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), sent.Select(l => l.GetProperty("seq").GetInt64()));
                Assert.Equal(10, received.Count);
                Assert.Equal(10, received.Select(l => l.GetProperty("id").GetString()).Distinct().Count());
                Assert.All(received, l => Assert.StartsWith(l.GetProperty("peer").GetString()! + " line", l.GetProperty("text").GetString()));
                Assert.Equal(2, lines.Count(l => l.GetProperty("event").GetString() == "PeerJoined"));
                Assert.All(lines, l => Assert.True(DateTimeOffset.TryParse(l.GetProperty("time").GetString(), out _)));
            }
        }

        public void Dispose()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }
    }
}
