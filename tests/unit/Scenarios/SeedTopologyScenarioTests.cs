using System.Collections;
using Xunit;
using Xunit.Abstractions;

namespace PSGroupChat.Tests.Scenarios
{
    /// <summary>tests/pester/scenarios/SeedTopology.ps1 through the hosted engine: the seed's two simulations, finished.</summary>
    [Collection(ScenarioCollection.Name)]
    public class SeedTopologyScenarioTests
    {
        private const int Messages = 100;
        private readonly ITestOutputHelper _output;

        public SeedTopologyScenarioTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void ThreePeersChatThenP0AndP2AreToldOnceThatP1Left()
        {
            using var scenario = new ScenarioScript("SeedTopology");
            var outcome = scenario.Run(new Hashtable { ["MessageCount"] = Messages });
            _output.WriteLine(outcome.Summary);

            outcome.AssertDeliveredOnceInOrder(3 * 2 * Messages + 2 * Messages); // all three chat, then P0 and P2
            outcome.AssertNoticesSeenOnce(3 * 2 + 2);                            // the joins, then P1's leave at P0 and P2
            outcome.AssertPassed();
        }
    }
}
