using Xunit;

namespace PSGroupChat.Tests.Security
{
    /// <summary>
    /// Tests that need the process's TLS session cache to themselves run alone, after the others: .NET keeps one ticket
    /// per server name for all dialers of a process, and every PSGroupChat dialer names the same one, so a handshake of
    /// any test running beside them replaces the ticket they mean to resume.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class TlsSessionCacheCollection
    {
        public const string Name = "TLS session cache";
    }
}
