using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace PSGroupChat.Tests.Scenarios
{
    /// <summary>
    /// A typed view of the PSGroupChat.ScenarioResult a scenario script returns (docs/simulations.md), with assertions
    /// whose messages say which peer missed which message.
    /// </summary>
    public sealed class ScenarioOutcome
    {
        private const int Shown = 25;
        private readonly PSObject _result;

        public ScenarioOutcome(PSObject result) => _result = result;

        public string Scenario => Value<string>("Scenario");
        public bool Passed => Value<bool>("Passed");
        public int MessagesSent => Value<int>("MessagesSent");
        public int ExpectedDeliveries => Value<int>("ExpectedDeliveries");
        public int ActualDeliveries => Value<int>("ActualDeliveries");
        public IReadOnlyList<string> Missing => Descriptions("Missing");
        public IReadOnlyList<string> Duplicated => Descriptions("Duplicated");
        public IReadOnlyList<string> OutOfOrder => Descriptions("OutOfOrder");
        public IReadOnlyList<string> Altered => Descriptions("Altered");
        public int NoticesExpected => Value<int>("NoticesExpected");
        public int NoticesSeen => Value<int>("NoticesSeen");
        public int PipelineNoticesSeen => Value<int>("PipelineNoticesSeen");
        public IReadOnlyList<string> MissingNotices => Descriptions("MissingNotices");
        public IReadOnlyList<string> UnexpectedNotices => Descriptions("UnexpectedNotices");
        public IReadOnlyList<string> LogProblems => Descriptions("LogProblems");
        public IReadOnlyList<string> TimedOut => Descriptions("TimedOut");
        public TimeSpan Elapsed => Value<TimeSpan>("Elapsed");
        public TimeSpan DeliveryElapsed => Value<TimeSpan>("DeliveryElapsed");

        /// <summary>One line with the figures, for the test output.</summary>
        public string Summary =>
            $"{Scenario}: {ActualDeliveries}/{ExpectedDeliveries} deliveries of {MessagesSent} messages, {Missing.Count} missing, " +
            $"{Duplicated.Count} duplicated, {OutOfOrder.Count} out of order; notices {NoticesSeen}/{NoticesExpected} in the logs, " +
            $"{PipelineNoticesSeen}/{NoticesExpected} in the pipelines; elapsed {Elapsed.TotalSeconds:0.00} s " +
            $"(first send to last delivery {DeliveryElapsed.TotalSeconds:0.00} s)";

        /// <summary>Every expected delivery happened once, in each sender's order, with its text intact, and the logs were whole.</summary>
        public void AssertDeliveredOnceInOrder(int expectedDeliveries)
        {
            AssertNone(LogProblems, "log problems");
            AssertNone(Missing, "missing deliveries");
            AssertNone(Duplicated, "duplicated deliveries");
            AssertNone(OutOfOrder, "deliveries out of order");
            AssertNone(Altered, "altered messages");
            Assert.Equal(expectedDeliveries, ExpectedDeliveries);
            Assert.Equal(expectedDeliveries, ActualDeliveries);
        }

        /// <summary>Every expected joined/left notice was seen once, with the expected reason, in the logs and the pipelines.</summary>
        public void AssertNoticesSeenOnce(int expectedNotices)
        {
            AssertNone(MissingNotices, "missing notices");
            AssertNone(UnexpectedNotices, "unexpected notices");
            Assert.Equal(expectedNotices, NoticesExpected);
            Assert.Equal(expectedNotices, NoticesSeen);
            Assert.Equal(expectedNotices, PipelineNoticesSeen);
        }

        /// <summary>No wait ran out, and the scenario judged itself passed.</summary>
        public void AssertPassed()
        {
            AssertNone(TimedOut, "waits that timed out");
            Assert.True(Passed, $"The scenario reports Passed = false: {Summary}");
        }

        private static void AssertNone(IReadOnlyList<string> problems, string what)
        {
            if (problems.Count == 0) return;
            var shown = string.Join("\n  ", problems.Take(Shown));
            var more = problems.Count > Shown ? $"\n  ... and {problems.Count - Shown} more" : string.Empty;
            Assert.Fail($"{problems.Count} {what}:\n  {shown}{more}");
        }

        private T Value<T>(string name)
        {
            var property = _result.Properties[name] ?? throw new InvalidOperationException($"The scenario result has no property '{name}'.");
            return LanguagePrimitives.ConvertTo<T>(property.Value);
        }

        /// <summary>A list property as text: each item's Description, or the item itself for plain strings.</summary>
        private IReadOnlyList<string> Descriptions(string name)
        {
            var items = Value<object[]>(name) ?? Array.Empty<object>();
            return items.Select(item =>
            {
                var entry = PSObject.AsPSObject(item);
                return entry.Properties["Description"]?.Value?.ToString() ?? entry.ToString();
            }).ToList();
        }
    }
}
