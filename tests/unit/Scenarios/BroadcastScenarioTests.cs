using System.Collections;
using Xunit;
using Xunit.Abstractions;

namespace PSGroupChat.Tests.Scenarios
{
    /// <summary>tests/pester/scenarios/Broadcast.ps1 through the hosted engine: N peers, 100 messages each.</summary>
    [Collection(ScenarioCollection.Name)]
    public class BroadcastScenarioTests
    {
        private const int Messages = 100;
        private readonly ITestOutputHelper _output;

        public BroadcastScenarioTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData(3)]
        [InlineData(10)]
        public void EveryPeerLogsEveryMessageOfEveryOtherPeerOnceAndInOrder(int peers)
        {
            using var scenario = new ScenarioScript("Broadcast");
            var outcome = scenario.Run(new Hashtable { ["PeerCount"] = peers, ["MessageCount"] = Messages });
            _output.WriteLine(outcome.Summary);

            Assert.Equal(peers * Messages, outcome.MessagesSent);
            outcome.AssertDeliveredOnceInOrder(peers * (peers - 1) * Messages);
            outcome.AssertNoticesSeenOnce(peers * (peers - 1)); // each peer told once that each other one joined
            outcome.AssertPassed();
        }
    }
}
