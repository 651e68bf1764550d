using System.Collections;
using Xunit;
using Xunit.Abstractions;

namespace PSGroupChat.Tests.Scenarios
{
    /// <summary>tests/pester/scenarios/GracefulLeave.ps1 through the hosted engine.</summary>
    [Collection(ScenarioCollection.Name)]
    public class GracefulLeaveScenarioTests
    {
        private const int Peers = 4;
        private const int Messages = 50;
        private readonly ITestOutputHelper _output;

        public GracefulLeaveScenarioTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void TheOthersAreToldOnceThatTheLeaverLeftGracefullyAndKeepEveryMessage()
        {
            using var scenario = new ScenarioScript("GracefulLeave");
            var outcome = scenario.Run(new Hashtable { ["PeerCount"] = Peers, ["MessageCount"] = Messages });
            _output.WriteLine(outcome.Summary);

            int beforeLeave = Peers * (Peers - 1) * Messages;                                // everyone to everyone
            int whileLeaving = (Peers - 1) * Messages + (Peers - 1) * (Peers - 2) * Messages; // the leaver's last words, and the others'
            int afterLeave = (Peers - 1) * (Peers - 2) * Messages;                           // the others among themselves
            outcome.AssertDeliveredOnceInOrder(beforeLeave + whileLeaving + afterLeave);
            outcome.AssertNoticesSeenOnce(Peers * (Peers - 1) + (Peers - 1)); // the joins, then one "left (graceful)" per other peer
            outcome.AssertPassed();
        }
    }
}
