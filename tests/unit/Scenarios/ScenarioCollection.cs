using Xunit;

namespace PSGroupChat.Tests.Scenarios
{
    /// <summary>
    /// The simulations run one after another: each starts several peers and is timed, so they do not compete with each
    /// other for the machine's cores (they still run beside the other test classes).
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class ScenarioCollection
    {
        public const string Name = "Simulations";
    }
}
