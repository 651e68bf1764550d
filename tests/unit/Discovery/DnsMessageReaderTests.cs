using System;
using System.Linq;
using System.Net;
using PSGroupChat.Discovery;
using Xunit;

namespace PSGroupChat.Tests.Discovery
{
    /// <summary>The reader's bounds, each with the smallest datagram that crosses it.</summary>
    public class DnsMessageReaderTests
    {
        private static readonly byte[] OneQuestionHeader = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };

        private static byte[] Packet(params byte[] body) => OneQuestionHeader.Concat(body).ToArray();

        private static string Refusal(byte[] packet) => Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(packet)).Message;

        [Fact]
        public void AQuestionDecodes()
        {
            var message = DnsMessageReader.Read(Packet(5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0, 0, 12, 0x80, 1));
            Assert.Equal(new DnsQuestion("local", DnsRecordType.Ptr, UnicastResponse: true), Assert.Single(message.Questions));
        }

        [Fact]
        public void APointerToItselfIsRefused() =>
            Assert.Contains("points forward", Refusal(Packet(0xC0, 12, 0, 12, 0, 1)));

        [Fact]
        public void APointerForwardIsRefused() =>
            Assert.Contains("points forward", Refusal(Packet(0xC0, 14, 0, 12, 0, 1, 0)));

        [Fact]
        public void AChainOfPointersIsCutOffAtTheLimit()
        {
            // 40 questions, each "a" followed by a pointer to the name before it: each step is legal, the 33rd hop is not.
            var body = new System.Collections.Generic.List<byte> { 1, (byte)'a', 0, 0, 12, 0, 1 };
            int previous = 12;
            for (int i = 1; i < 40; i++)
            {
                int here = 12 + body.Count;
                body.AddRange(new byte[] { 1, (byte)'a', (byte)(0xC0 | (previous >> 8)), (byte)previous, 0, 12, 0, 1 });
                previous = here;
            }
            var packet = new byte[] { 0, 0, 0, 0, 0, 40, 0, 0, 0, 0, 0, 0 }.Concat(body).ToArray();
            Assert.Contains("compression pointers", Refusal(packet));
            Assert.Equal(32, DnsMessageReader.Read(packet.Take(12 + 7 + 32 * 8).Select((b, i) => i == 5 ? (byte)33 : b).ToArray()).Questions.Count - 1);
        }

        [Fact]
        public void AReservedLabelTypeIsRefused() =>
            Assert.Contains("reserved length bits", Refusal(Packet(0x41, 0, 0, 12, 0, 1)));

        [Fact]
        public void ANameOver255BytesIsRefused()
        {
            var body = Enumerable.Range(0, 5).SelectMany(_ => new byte[] { 63 }.Concat(Enumerable.Repeat((byte)'x', 63))).Concat(new byte[] { 0, 0, 12, 0, 1 }).ToArray();
            Assert.Contains("longer than 255", Refusal(Packet(body)));
        }

        [Fact]
        public void AHeaderPromisingMoreThanTheDatagramHoldsIsRefusedBeforeReading() =>
            Assert.Contains("more entries than", Refusal(new byte[] { 0, 0, 0, 0, 0, 50, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 1 }));

        [Fact]
        public void AHeaderPromisingMoreThanTheLimitIsRefused() =>
            Assert.Contains("more than 128", Refusal(new byte[] { 0, 0, 0, 0, 0, 100, 0, 100, 0, 0, 0, 0 }));

        [Fact]
        public void BytesAfterTheLastRecordAreRefused() =>
            Assert.Contains("follow the last record", Refusal(Packet(0, 0, 12, 0, 1, 7)));

        [Fact]
        public void AnOversizedDatagramIsRefused() =>
            Assert.Contains("larger than 9000", Refusal(new byte[9001]));

        [Fact]
        public void ALabelThatIsNotUtf8IsRefused() =>
            Assert.Contains("not UTF-8", Refusal(Packet(1, 0xFF, 0, 0, 12, 0, 1)));

        [Fact]
        public void ARecordWhoseDataOverrunsItsLengthIsRefused()
        {
            // An A record that says 4 bytes of data but is a PTR whose name takes 7.
            var packet = new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 12, 0, 1, 0, 0, 0, 120, 0, 4, 1, (byte)'b', 1, (byte)'c', 0, 0, 0 };
            Assert.Contains("ends at offset", Refusal(packet));
        }

        [Fact]
        public void RecordsOfOtherTypesAndClassesAreSkipped()
        {
            // An HINFO (13) record, then a CHAOS-class A record, then an A record this code uses.
            var packet = new byte[] { 0, 0, 0x84, 0, 0, 0, 0, 3, 0, 0, 0, 0,
                1, (byte)'h', 0, 0, 13, 0, 1, 0, 0, 0, 120, 0, 2, 0, 0,
                1, (byte)'h', 0, 0, 1, 0, 3, 0, 0, 0, 120, 0, 4, 1, 2, 3, 4,
                1, (byte)'h', 0, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 10, 0, 0, 7 };
            var record = Assert.Single(DnsMessageReader.Read(packet).Answers);
            Assert.Equal(new AddressRecord("h", true, 120, IPAddress.Parse("10.0.0.7")), record);
        }

        [Fact]
        public void AnErrorResponseIsIgnoredWhole()
        {
            var message = DnsMessageReader.Read(new byte[] { 0, 0, 0x84, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF });
            Assert.Empty(message.Questions);
        }
    }
}
