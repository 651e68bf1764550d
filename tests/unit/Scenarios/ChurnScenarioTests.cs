using System.Collections;
using Xunit;
using Xunit.Abstractions;

namespace PSGroupChat.Tests.Scenarios
{
    /// <summary>tests/pester/scenarios/Churn.ps1 through the hosted engine, with churn peers that leave and that crash.</summary>
    [Collection(ScenarioCollection.Name)]
    public class ChurnScenarioTests
    {
        private const int Stable = 3;
        private const int Churning = 2;
        private const int Rounds = 3;
        private const int Messages = 10;
        private readonly ITestOutputHelper _output;

        public ChurnScenarioTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void NothingIsLostOrDuplicatedBetweenTheStablePeersWhileOthersComeAndGo(bool crash)
        {
            using var scenario = new ScenarioScript("Churn");
            var outcome = scenario.Run(new Hashtable
            {
                ["PeerCount"] = Stable, ["ChurnPeerCount"] = Churning, ["Rounds"] = Rounds, ["MessageCount"] = Messages, ["Crash"] = crash,
            });
            _output.WriteLine(outcome.Summary);

            // After each join and each leave, every stable peer sends a batch to the other stable peers;
            // once linked, each churn peer sends a batch to every stable peer.
            int amongStable = Stable * (Stable - 1) * Rounds * 2 * Churning * Messages;
            int fromChurners = Rounds * Churning * Messages * Stable;
            outcome.AssertDeliveredOnceInOrder(amongStable + fromChurners);
            // Each stable peer: told of the others' joins, and of each churn peer's join and leave once.
            outcome.AssertNoticesSeenOnce(Stable * (Stable - 1) + Rounds * Churning * 2 * Stable);
            outcome.AssertPassed();
        }
    }
}
