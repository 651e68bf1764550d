using System;
using System.Net;
using PSGroupChat.Discovery;
using Xunit;

namespace PSGroupChat.Tests.Discovery
{
    /// <summary>The writer's output byte for byte where it matters: compression, flags, and the empty TXT record.</summary>
    public class DnsMessageWriterTests
    {
        [Fact]
        public void RepeatedSuffixesArePointersToTheirFirstCopy()
        {
            var packet = DnsMessageWriter.Write(DnsMessage.Response(new DnsRecord[]
            {
                new PtrRecord("_psgroupchat._tcp.local", 4500, "lobby._psgroupchat._tcp.local"),
            }));
            // Header (12), the owner name (1+12, 1+4, 1+5, 1 = 25), type, class, ttl, length (10), then "lobby" and a pointer to offset 12.
            Assert.Equal(new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0 }, packet[..12]);
            Assert.Equal(new byte[] { 0, 12, 0, 1, 0, 0, 0x11, 0x94, 0, 8 }, packet[37..47]);
            Assert.Equal(new byte[] { 5, (byte)'l', (byte)'o', (byte)'b', (byte)'b', (byte)'y', 0xC0, 12 }, packet[47..]);
        }

        [Fact]
        public void AnEmptyTxtRecordIsOneEmptyString()
        {
            var packet = DnsMessageWriter.Write(DnsMessage.Response(new DnsRecord[] { new TxtRecord("a", false, 120, Array.Empty<string>()) }));
            Assert.Equal(new byte[] { 0, 1, 0 }, packet[^3..]);
            Assert.Empty(((TxtRecord)DnsMessageReader.Read(packet).Answers[0]).Strings);
        }

        [Fact]
        public void QuestionsAndRecordsCarryTheMulticastBits()
        {
            var message = new DnsMessage(false, new[] { new DnsQuestion("a.local", DnsRecordType.Any, UnicastResponse: true) },
                Array.Empty<DnsRecord>(), new DnsRecord[] { new AddressRecord("a.local", true, 120, IPAddress.Parse("192.0.2.1")) }, Array.Empty<DnsRecord>());
            var packet = DnsMessageWriter.Write(message);
            Assert.Equal(new byte[] { 0, 255, 0x80, 1 }, packet[21..25]);
            Assert.Equal(new byte[] { 0xC0, 12, 0, 1, 0x80, 1 }, packet[25..31]);
        }

        [Theory]
        [InlineData("a..b")]
        [InlineData("")]
        [InlineData("0123456789012345678901234567890123456789012345678901234567890123.local")]
        public void NamesBeyondTheRulesAreRefused(string name) =>
            Assert.Throws<ArgumentException>(() => DnsMessageWriter.Write(DnsMessage.Query(new DnsQuestion(name, DnsRecordType.Ptr))));

        [Fact]
        public void ADotInsideALabelSurvivesTheRoundTrip()
        {
            var name = DnsName.Escape("alice.home") + "._psgroupchat._tcp.local";
            var packet = DnsMessageWriter.Write(DnsMessage.Query(new DnsQuestion(name, DnsRecordType.Srv)));
            Assert.Equal(10, packet[12]); // one label of 10 bytes, dot included
            Assert.Equal(name, DnsMessageReader.Read(packet).Questions[0].Name);
        }
    }
}
