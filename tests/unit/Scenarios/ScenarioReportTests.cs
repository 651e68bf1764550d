using System;
using System.IO;
using System.Linq;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Scenarios
{
    /// <summary>
    /// The log analysis every scenario ends with (tests/pester/scenarios/common/ScenarioReport.ps1), fed hand-written logs
    /// with one fault of each kind: it must find each, say which peer missed what, and ignore lines outside the run.
    /// </summary>
    public sealed class ScenarioReportTests : IDisposable
    {
        private const string Analyse = @"
param($common, $folder)
. ([System.IO.Path]::Combine($common, 'ScenarioRun.ps1'))
$run = New-ScenarioRun -Name Fabricated -Parameters ([ordered]@{}) -LogFolder $folder
$run.StartedAt = [datetime]::new(2030, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc)
$run.EndedAt = $run.StartedAt.AddMinutes(1)
foreach ($name in 'A', 'B') {
    $run.Peers[$name] = $null
    $run.Pipeline[$name] = [System.Collections.Generic.List[object]]::new()
}
$run.Pipeline['A'].Add([pscustomobject]@{ Kind = 'Joined'; Sender = 'B'; Reason = $null; Text = '' })
$run.Pipeline['B'].Add([pscustomobject]@{ Kind = 'Joined'; Sender = 'A'; Reason = $null; Text = '' })
$texts = 'one', 'two', 'three', 'four'
for ($i = 1; $i -le 4; $i++) {
    $run.Sent.Add([pscustomobject]@{ Id = ""a$i""; Sender = 'A'; Sequence = $i; Phase = 'fabricated'; Text = $texts[$i - 1]; Receivers = [string[]]@('B') })
}
$run.Sent.Add([pscustomobject]@{ Id = 'b1'; Sender = 'B'; Sequence = 1; Phase = 'fabricated'; Text = 'hello'; Receivers = [string[]]@('A') })
Add-ScenarioMeshNotice -Run $run -Members A, B
Add-ScenarioNotice -Run $run -Observers B -Subject A -Kind Left -Reason graceful -Text bye
Measure-ScenarioRun -Run $run
";

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "PSGroupChat.Tests", "report-" + Guid.NewGuid().ToString("N"));

        [Fact]
        public void FindsEachFaultAndSaysWhichPeerMissedWhat()
        {
            Directory.CreateDirectory(_folder);
            File.WriteAllLines(Path.Combine(_folder, "A.jsonl"), new[]
            {
                Line("00:01", "PeerJoined", "A", @"""peer"":""B"""),
                Line("00:02", "MessageSent", "A", @"""id"":""a1"",""seq"":1,""to"":""*"",""text"":""one"""),
                Line("00:02", "MessageSent", "A", @"""id"":""a2"",""seq"":2,""to"":""*"",""text"":""two"""),
                Line("00:02", "MessageSent", "A", @"""id"":""a3"",""seq"":3,""to"":""*"",""text"":""three"""),
                Line("00:02", "MessageSent", "A", @"""id"":""a4"",""seq"":4,""to"":""*"",""text"":""four"""),
                Line("00:03", "MessageReceived", "A", @"""peer"":""B"",""id"":""b1"",""seq"":1,""text"":""hello"""),
                Line("00:04", "PeerLeft", "A", @"""peer"":""B"",""reason"":""connection lost"",""text"":"""""),  // never expected
            });
            File.WriteAllLines(Path.Combine(_folder, "B.jsonl"), new[]
            {
                // 1: from an earlier run in the same folder: outside the window, so it does not deliver a4.
                "{\"time\":\"2029-12-31T23:00:00.0000000Z\",\"event\":\"MessageReceived\",\"level\":\"Debug\",\"user\":\"B\",\"peer\":\"A\",\"id\":\"a4\",\"seq\":4,\"text\":\"four\"}",
                Line("00:01", "PeerJoined", "B", @"""peer"":""A"""),
                Line("00:01", "PeerJoined", "B", @"""peer"":""A"""),                                           // 3: told twice
                Line("00:03", "MessageReceived", "B", @"""peer"":""A"",""id"":""a1"",""seq"":1,""text"":""one"""),
                Line("00:03", "MessageReceived", "B", @"""peer"":""A"",""id"":""a1"",""seq"":1,""text"":""one"""),   // 5: duplicate
                Line("00:03", "MessageReceived", "B", @"""peer"":""A"",""id"":""a3"",""seq"":3,""text"":""three"""),
                Line("00:03", "MessageReceived", "B", @"""peer"":""A"",""id"":""a2"",""seq"":2,""text"":""TWO"""),   // 7: late and altered
                Line("00:02", "MessageSent", "B", @"""id"":""b1"",""seq"":1,""to"":""*"",""text"":""hello"""),
                "not json",                                                                                       // 9
                Line("00:04", "PeerLeft", "B", @"""peer"":""A"",""reason"":""timeout"",""text"":"""""),            // 10: wrong reason
                // 11: after the window (the teardown): does not deliver a4 either.
                "{\"time\":\"2030-01-01T00:05:00.0000000Z\",\"event\":\"MessageReceived\",\"level\":\"Debug\",\"user\":\"B\",\"peer\":\"A\",\"id\":\"a4\",\"seq\":4,\"text\":\"four\"}",
            });

            using var host = new PowerShellHost();
            var result = host.Run(Analyse, args: new object[] { Path.Combine(RepositoryPaths.Root, "tests", "pester", "scenarios", "common"), _folder });
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            var outcome = new ScenarioOutcome(Assert.Single(result.Output));

            Assert.False(outcome.Passed);
            Assert.Equal(5, outcome.ExpectedDeliveries);
            Assert.Equal(4, outcome.ActualDeliveries);
            Assert.Equal(new[] { "B missed A #4 (fabricated, id a4)" }, outcome.Missing);
            Assert.Equal(new[] { "B got A #1 (fabricated, id a1) 2 times (log lines 4, 5)" }, outcome.Duplicated);
            Assert.Equal(new[] { "B got A #2 after #3 (log line 7)" }, outcome.OutOfOrder);
            Assert.Equal(new[] { "B got A #2 (fabricated, id a2) with its text altered: 3 characters received for 3 sent, the first difference at character 1" }, outcome.Altered);
            Assert.Equal(3, outcome.NoticesExpected);
            Assert.Equal(2, outcome.NoticesSeen);
            Assert.Equal(2, outcome.PipelineNoticesSeen);
            Assert.Equal(new[] { "B's pipeline never said that A left (graceful)" }, outcome.MissingNotices);
            Assert.Equal(new[]
            {
                "A's log said unexpectedly that B left (connection lost)",
                "B's log said once more than expected that A joined",
                "B's log said that A left with reason 'timeout' instead of 'graceful'",
            }, outcome.UnexpectedNotices.OrderBy(d => d, StringComparer.Ordinal));
            var problem = Assert.Single(outcome.LogProblems);
            Assert.StartsWith("B.jsonl line 9 is not a log entry this analysis understands", problem);
        }

        public void Dispose()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }

        private static string Line(string minuteSecond, string name, string user, string fields) =>
            $"{{\"time\":\"2030-01-01T00:{minuteSecond}.0000000Z\",\"event\":\"{name}\",\"level\":\"Debug\",\"user\":\"{user}\",{fields}}}";
    }
}
