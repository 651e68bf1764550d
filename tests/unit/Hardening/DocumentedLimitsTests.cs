using System.IO;
using System.Linq;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>docs/security.md states the defaults of the limits; this keeps the page and the engine in step.</summary>
    public class DocumentedLimitsTests
    {
        [Fact]
        public void TheLimitsTableStatesTheEnginesDefaults()
        {
            var rows = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "security.md"))
                .Where(l => l.StartsWith("| ")).Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
                .Where(c => c.Length > 3).ToDictionary(c => c[1], c => c[2]);
            var o = new ChatSessionOptions();
            var c = System.Globalization.CultureInfo.InvariantCulture;

            Assert.Equal($"{o.HandshakeTimeout.TotalSeconds} s", rows["Handshake deadline"]);
            Assert.Equal(o.MaxPendingHandshakes.ToString(c), rows["Pending handshakes"]);
            Assert.Equal(o.MaxMembers.ToString(c), rows["Members"]);
            Assert.Equal($"{o.MaxFrameSize / 1024} KiB ({o.MaxFrameSize.ToString("N0", c)} bytes of payload)", rows["Frame size"]);
            Assert.Equal($"{o.SendQueueCapacity.ToString("N0", c)} frames and {o.SendQueueBytes / (1024 * 1024)} MiB", rows["Send queue per member"]);
            Assert.Equal($"every {o.HeartbeatInterval.TotalSeconds} s", rows["Heartbeat"]);
            Assert.Equal($"{o.PeerTimeout.TotalSeconds} s", rows["Silence"]);
            Assert.StartsWith($"1 to {ChatLimits.MaxUserNameLength} characters", rows["User name"]);
            Assert.Equal($"1 to {ChatLimits.MaxMessageLength.ToString("N0", c)} characters", rows["Message text"]);

            // The frame-reader tests are written against this constant.
            Assert.Equal(ChatLimitsForTests.DefaultMaxFrameSize, o.MaxFrameSize);
        }
    }
}
