using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// Get-Help in the hosted engine: the about topic ships in the built module's en-US folder and Get-Help finds it
    /// there; every cmdlet has help with its syntax. (That the build's MAML shows every example is tested in real pwsh:
    /// tests/pester/Setup/Help.Tests.ps1.)
    /// </summary>
    public class GetHelpTests
    {
        private const string Topic = "about_PSGroupChat";
        private static readonly string Source = Path.Combine(RepositoryPaths.Root, "module", "en-US", Topic + ".help.txt");
        private static readonly string Built = Path.Combine(RepositoryPaths.ModuleFolder, "en-US", Topic + ".help.txt");

        private static string Normalized(string text) => text.Replace("\r\n", "\n").TrimEnd();

        [Fact]
        public void TheBuildShipsTheAboutTopicInTheModuleFolder()
        {
            Assert.True(File.Exists(Built), "dotnet build did not copy the about topic to " + Built);
            Assert.Equal(Normalized(File.ReadAllText(Source)), Normalized(File.ReadAllText(Built)));
        }

        [Fact]
        public void GetHelpReturnsTheAboutTopicFromTheBuiltModule()
        {
            using var host = new PowerShellHost();
            var result = host.Run($"Get-Help {Topic}");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            var topic = Assert.Single(result.Output);
            Assert.Equal(Normalized(File.ReadAllText(Built)), Normalized(topic.BaseObject.ToString()!));
            Assert.Equal(Topic, topic.Properties["Name"]?.Value);
            Assert.Equal("HelpFile", topic.Properties["Category"]?.Value?.ToString());
            Assert.StartsWith("Decentralized group chat over TCP", topic.Properties["Synopsis"]?.Value?.ToString());
        }

        [Fact]
        public void WithoutTheModuleGetHelpDoesNotFindTheTopic()
        {
            // The control for the test above: the topic is found through the imported module, not from anywhere else.
            using var host = new PowerShellHost(importModule: false);
            var result = host.Run($"Get-Help {Topic} -ErrorAction SilentlyContinue");
            Assert.DoesNotContain(result.Output, o => o.BaseObject is string s && s.Contains("SHORT DESCRIPTION", StringComparison.Ordinal));
        }

        [Fact]
        public void TheAboutTopicHasTheStandardLayoutAndCoversTheConcepts()
        {
            var lines = File.ReadAllLines(Source);
            var headings = lines.Where(l => l.Length > 0 && char.IsUpper(l[0]) && l == l.ToUpperInvariant()).ToList();
            Assert.Equal(new[] { "TOPIC", "SHORT DESCRIPTION", "LONG DESCRIPTION" }, headings.Take(3));
            Assert.Equal("SEE ALSO", headings.Last());
            Assert.Equal("    " + Topic, lines[1]);
            var tooLong = lines.Select((l, i) => (Line: i + 1, l.Length)).Where(l => l.Length > 80).ToList();
            Assert.True(tooLong.Count == 0, "Lines longer than 80 characters: " + string.Join(", ", tooLong.Select(l => l.Line)));

            var text = string.Join("\n", lines);
            foreach (var concept in new[]
            {
                "Peers and sessions", "The mesh", "Joining through one member", "Messages and notices", "Delivery guarantees",
                "Heartbeats and timeouts", "The inbox and its bound", "The log file", "Authentication", "QUICK START",
                "TROUBLESHOOTING", "Port in use", "Firewall", "Duplicate name", "Encryption and identities", "-Plaintext", "Key rejected",
            })
            {
                Assert.Contains(concept, text, StringComparison.Ordinal);
            }
            foreach (var reason in typeof(LeaveReason).GetFields().Select(f => (string)f.GetValue(null)!))
            {
                Assert.Contains(reason, text, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void EveryCmdletHasHelpWithItsSyntax()
        {
            using var host = new PowerShellHost();
            var result = host.Run("Get-Command -Module PSGroupChat -CommandType Cmdlet | ForEach-Object { Get-Help $_.Name }");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            Assert.True(result.Output.Count >= 7);
            foreach (var help in result.Output)
            {
                var name = help.Properties["Name"]?.Value?.ToString();
                Assert.False(string.IsNullOrEmpty(name));
                Assert.NotNull(help.Properties["syntax"]?.Value);
            }
        }
    }
}
