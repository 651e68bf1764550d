using System.Collections;
using Xunit;
using Xunit.Abstractions;

namespace PSGroupChat.Tests.Scenarios
{
    /// <summary>tests/pester/scenarios/Crash.ps1 through the hosted engine.</summary>
    [Collection(ScenarioCollection.Name)]
    public class CrashScenarioTests
    {
        private const int Peers = 4;
        private const int Messages = 50;
        private readonly ITestOutputHelper _output;

        public CrashScenarioTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void TheOthersAreToldOnceThatTheCrashedPeerLostItsConnectionAndKeepTalking()
        {
            using var scenario = new ScenarioScript("Crash");
            var outcome = scenario.Run(new Hashtable { ["PeerCount"] = Peers, ["MessageCount"] = Messages });
            _output.WriteLine(outcome.Summary);

            int beforeCrash = Peers * (Peers - 1) * Messages;
            int afterwards = 2 * (Peers - 1) * (Peers - 2) * Messages; // while crashing and after, among the others
            outcome.AssertDeliveredOnceInOrder(beforeCrash + afterwards);
            outcome.AssertNoticesSeenOnce(Peers * (Peers - 1) + (Peers - 1)); // the joins, then one "left (connection lost)" per other peer
            outcome.AssertPassed();
        }
    }
}
