using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PSGroupChat.Delivery;
using PSGroupChat.Membership;
using PSGroupChat.Protocol;
using PSGroupChat.Security;
using PSGroupChat.Tests.Harness;
using PSGroupChat.Transport;
using Xunit;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// docs/protocol.md agrees with the code a compatible peer must match: a section for every frame type, every refusal
    /// code, the authentication test vector, the byte-by-byte msg example, and the table of limits.
    /// </summary>
    public class ProtocolDocTests
    {
        private static readonly string Doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "protocol.md")).Replace("\r\n", "\n");

        /// <summary>The text under "### heading" up to the next heading of level 2 or 3.</summary>
        private static string Section(string heading)
        {
            int start = Doc.IndexOf("\n### " + heading + "\n", StringComparison.Ordinal);
            Assert.True(start >= 0, $"the protocol document has no '### {heading}' section");
            var rest = Doc.Substring(start + heading.Length + 5);
            var next = Regex.Match(rest, @"\n##+ ");
            return next.Success ? rest.Substring(0, next.Index) : rest;
        }

        [Fact]
        public void EveryFrameTypeHasASectionWithItsTypeByte()
        {
            foreach (FrameType type in Enum.GetValues(typeof(FrameType)))
            {
                var section = Section($"`{WireCodec.NameOf(type)}` (0x{(byte)type:X2})");
                Assert.True(section.Contains("| Offset |", StringComparison.Ordinal) || section.Contains("no fields", StringComparison.Ordinal),
                    $"the '{WireCodec.NameOf(type)}' section has no layout table");
            }
        }

        [Fact]
        public void EveryRefusalCodeIsDocumented()
        {
            var section = Section("`refuse` (0x06)");
            var codes = typeof(RefuseCode).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
            Assert.True(codes.Count >= 7);
            foreach (var code in codes) Assert.True(section.Contains($"| `{code}` |", StringComparison.Ordinal), $"the refusal code `{code}` has no row");
        }

        [Fact]
        public void TheAuthenticationTestVectorIsRight()
        {
            var block = Regex.Match(Section("Test vector"), "```text\n(.*?)\n```", RegexOptions.Singleline);
            Assert.True(block.Success, "the test vector has no ```text block");
            var values = block.Groups[1].Value.Split('\n')
                .Select(l => Regex.Match(l, @"^(\S+(?: \S+)?)\s{2,}(.+)$"))
                .Where(m => m.Success)
                .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());

            var authenticator = new Authenticator(Encoding.UTF8.GetBytes(values["secret"]));
            var input = new ProofInput(values["prover role"] == "dialer", values["prover id"], values["verifier id"],
                Convert.FromBase64String(values["prover nonce"]), Convert.FromBase64String(values["verifier nonce"]),
                Fingerprint(values["prover key"]), Fingerprint(values["verifier key"]));
            var proof = authenticator.Prove(input);
            Assert.Equal(values["proof"], Convert.ToBase64String(proof));
            Assert.True(authenticator.Verify(proof, input));
            Assert.False(authenticator.Verify(proof, input with { ProverDialed = !input.ProverDialed }));
            Assert.False(authenticator.Verify(proof, input with { VerifierKey = input.ProverKey }));
        }

        private static byte[] Fingerprint(string text)
        {
            Assert.True(KeyFingerprint.TryParse(text, out var bytes), $"'{text}' is not a fingerprint");
            return bytes;
        }

        [Fact]
        public void TheMsgExampleIsWhatTheEncoderWrites()
        {
            var section = Section("Example: a `msg` frame");
            var blocks = Regex.Matches(section, "```text\n(.*?)\n```", RegexOptions.Singleline);
            Assert.True(blocks.Count >= 2, "the example needs its fields and its bytes, each in a ```text block");
            var values = blocks[0].Groups[1].Value.Split('\n')
                .Select(l => Regex.Match(l, @"^(\S+)\s+(.+)$")).Where(m => m.Success)
                .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
            var frame = WireCodec.EncodeMessage(values["origin"], long.Parse(values["sequence"], CultureInfo.InvariantCulture),
                long.Parse(values["time"], CultureInfo.InvariantCulture), values["text"], values["to"].Split(','),
                action: bool.Parse(values["action"]), history: bool.Parse(values["history"]));
            var hex = Regex.Replace(Regex.Replace(blocks[1].Groups[1].Value, @"#[^\n]*", ""), @"\s+", "");
            Assert.Equal(Convert.ToHexString(frame), hex);
            Assert.Contains($"{frame.Length} bytes in all", section, StringComparison.Ordinal);
            Assert.Contains("`00 00 00 01 11`", Doc, StringComparison.Ordinal);
            Assert.Equal("0000000111", Convert.ToHexString(WireCodec.EncodePing()));
        }

        [Fact]
        public void TheTableOfLimitsMatchesTheCode()
        {
            var defaults = new ChatSessionOptions();
            var expected = new Dictionary<string, double>
            {
                ["WireCodec.ProtocolVersion"] = WireCodec.ProtocolVersion,
                ["Preamble.Size"] = Preamble.Size,
                ["WireLimits.DigestBytes"] = WireLimits.DigestBytes,
                ["ChatSessionOptions.MaxFrameSize"] = defaults.MaxFrameSize,
                ["WireLimits.MaxUserNameBytes"] = WireLimits.MaxUserNameBytes,
                ["WireLimits.MaxTextBytes"] = WireLimits.MaxTextBytes,
                ["WireLimits.MaxCodeBytes"] = WireLimits.MaxCodeBytes,
                ["WireLimits.MaxReasonBytes"] = WireLimits.MaxReasonBytes,
                ["WireLimits.MaxHostBytes"] = WireLimits.MaxHostBytes,
                ["WireLimits.MaxListEntries"] = WireLimits.MaxListEntries,
                ["WireLimits.MaxRecipients"] = WireLimits.MaxRecipients,
                ["ChatLimits.MaxUserNameLength"] = ChatLimits.MaxUserNameLength,
                ["ChatLimits.MaxMessageLength"] = ChatLimits.MaxMessageLength,
                ["Authenticator.NonceSize"] = Private<int>(typeof(Authenticator), "NonceSize"),
                ["ChatSessionOptions.HeartbeatInterval"] = defaults.HeartbeatInterval.TotalSeconds,
                ["ChatSessionOptions.PeerTimeout"] = defaults.PeerTimeout.TotalSeconds,
                ["HeartbeatMonitor.JumpFactor"] = HeartbeatMonitor.JumpFactor,
                ["ChatSessionOptions.HandshakeTimeout"] = defaults.HandshakeTimeout.TotalSeconds,
                ["Connector.TlsDialsPerCore"] = Connector.TlsDialsPerCore,
                ["Connector.PlaintextDialsPerCore"] = Connector.PlaintextDialsPerCore,
                ["ChatSessionOptions.SendQueueCapacity"] = defaults.SendQueueCapacity,
                ["ChatSessionOptions.SendQueueBytes"] = defaults.SendQueueBytes,
                ["ChatSessionOptions.MaxPendingHandshakes"] = defaults.MaxPendingHandshakes,
                ["ChatSessionOptions.MaxMembers"] = defaults.MaxMembers,
                ["ChatSessionOptions.InboxCapacity"] = defaults.InboxCapacity,
                ["Handshake.DrainTimeout"] = Handshake.DrainTimeout.TotalSeconds,
                ["Redialer.GossipDialGrace"] = Redialer.GossipDialGrace.TotalSeconds,
                ["Redialer.ShortLoopAttempts"] = Redialer.ShortLoopAttempts,
                ["RedialSchedule.Cap"] = RedialSchedule.Cap.TotalSeconds,
                ["ChatSessionOptions.RedialHorizon"] = defaults.RedialHorizon.TotalSeconds,
                ["ChatSessionOptions.HistoryLimit"] = defaults.HistoryLimit,
                ["ChatSessionOptions.HistoryAge"] = defaults.HistoryAge.TotalSeconds,
                ["DeliveryOptions.MaxMarksPerDigest"] = DeliveryOptions.MaxMarksPerDigest,
                ["DeliveryOptions.MaxPushPerRound"] = DeliveryOptions.MaxPushPerRound,
            };

            int start = Doc.IndexOf("\n## Limits and defaults\n", StringComparison.Ordinal);
            Assert.True(start >= 0, "protocol.md has no '## Limits and defaults' section");
            int end = Doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            var table = end < 0 ? Doc.Substring(start) : Doc.Substring(start, end - start);
            var rows = Regex.Matches(table, @"^\| `([A-Za-z]+\.[A-Za-z]+)` \| ([0-9.]+)", RegexOptions.Multiline)
                .ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            foreach (var pair in expected)
            {
                Assert.True(rows.ContainsKey(pair.Key), $"the table of limits has no row for `{pair.Key}`");
                Assert.True(rows[pair.Key] == pair.Value, $"`{pair.Key}` is {pair.Value} in the code, {rows[pair.Key]} in protocol.md");
            }
            Assert.Equal(expected.Keys.OrderBy(k => k), rows.Keys.OrderBy(k => k));
        }

        [Fact]
        public void TheRedialScheduleIsTheDocumentedOne()
        {
            var delays = Enumerable.Range(1, 8).Select(a => RedialSchedule.DelayBefore(a).TotalSeconds).ToList();
            Assert.Equal(new[] { 1.0, 2, 4, 8, 16, 30, 30, 30 }, delays);
            Assert.Contains("after 1, 2, 4, 8 and 16 seconds, then every 30 seconds, until the re-dial horizon", Doc, StringComparison.Ordinal);
        }

        [Fact]
        public void TheAuthenticationLabelIsTheOneTheCodeUses()
        {
            var label = Private<byte[]>(typeof(Authenticator), "Label");
            Assert.Contains($"`\"{Encoding.ASCII.GetString(label)}\"`: these {label.Length} ASCII bytes", Doc, StringComparison.Ordinal);
        }

        [Fact]
        public void EveryLinkInsideTheDocumentNamesAHeading()
        {
            // GitHub's anchors: the heading in lower case, without punctuation but '-' and '_', spaces turned into '-'.
            var anchors = Regex.Matches(Doc, @"^#{1,6} (.+)$", RegexOptions.Multiline)
                .Select(m => Regex.Replace(Regex.Replace(m.Groups[1].Value.Trim().ToLowerInvariant(), @"[^\p{L}\p{N} _-]", ""), " ", "-"))
                .ToHashSet(StringComparer.Ordinal);
            var links = Regex.Matches(Doc, @"\]\(#([^)]+)\)").Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.NotEmpty(links);
            foreach (var link in links) Assert.True(anchors.Contains(link), $"protocol.md links to '#{link}', which no heading has");
        }

        [Fact]
        public void TheDocumentIsWholeAndCurrent()
        {
            // No placeholder left for a draft to fill, and nothing of version 1's proof.
            Assert.DoesNotContain("<!--", Doc, StringComparison.Ordinal);
            Assert.DoesNotContain("PSGroupChat-auth-v1", Doc, StringComparison.Ordinal);
            Assert.DoesNotContain("drafts/", Doc, StringComparison.Ordinal);
        }

        private static T Private<T>(Type type, string name)
        {
            var field = type.GetField(name, BindingFlags.NonPublic | BindingFlags.Static);
            Assert.True(field != null, $"{type.Name}.{name} no longer exists; update protocol.md and this test");
            return (T)field!.GetValue(null)!;
        }
    }
}
