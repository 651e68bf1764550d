using System;
using System.Linq;
using CsCheck;
using PSGroupChat.Discovery;
using PSGroupChat.Tests.Hardening;
using Xunit;
using Xunit.Abstractions;

namespace PSGroupChat.Tests.Discovery
{
    /// <summary>
    /// Property tests of the DNS codec: what the writer makes, the reader gives back exactly; and whatever a datagram
    /// holds, the reader either decodes it or throws <see cref="DnsFormatException"/>, never anything else.
    /// </summary>
    public class DnsMessageProperties
    {
        private readonly ITestOutputHelper _output;

        public DnsMessageProperties(ITestOutputHelper output) => _output = output;

        /// <summary>Reads, letting only a format error through (as null); any other exception fails the test.</summary>
        internal static DnsMessage? TryRead(byte[] packet)
        {
            try
            {
                return DnsMessageReader.Read(packet);
            }
            catch (DnsFormatException e)
            {
                Assert.True(e.Message.Length < 200, $"a {e.Message.Length}-character reason");
                return null;
            }
        }

        [Fact]
        public void WhatIsWrittenIsReadBackExactly()
        {
            var took = Property.Check(DnsGen.Message, message =>
            {
                var packet = DnsMessageWriter.Write(message);
                Assert.Equal(message, DnsMessageReader.Read(packet));
            }, cases: 3000, stream: 40);
            _output.WriteLine($"3000 messages in {took.TotalMilliseconds:0} ms");
        }

        [Fact]
        public void ArbitraryBytesDecodeOrFailCleanly()
        {
            int decoded = 0;
            Property.Check(Gen.Byte.Array[0, 600], bytes =>
            {
                if (TryRead(bytes) != null) decoded++;
            }, cases: 20000, stream: 41);
            _output.WriteLine($"{decoded} of 20000 random datagrams decoded");
        }

        [Fact]
        public void DamagedMessagesDecodeOrFailCleanly()
        {
            // A valid datagram with bytes overwritten, cut or inserted: the cases random bytes rarely reach.
            var damaged = Gen.Select(DnsGen.Message, Gen.Int[0, 2], Gen.Int[0, 8000], Gen.Byte.Array[1, 4], (message, how, at, bytes) =>
            {
                var packet = DnsMessageWriter.Write(message);
                int offset = at % Math.Max(1, packet.Length);
                return how switch
                {
                    0 => packet.Select((b, i) => i >= offset && i < offset + bytes.Length ? bytes[i - offset] : b).ToArray(),
                    1 => packet.Take(offset).ToArray(),
                    _ => packet.Take(offset).Concat(bytes).Concat(packet.Skip(offset)).ToArray(),
                };
            });
            int decoded = 0;
            Property.Check(damaged, packet =>
            {
                if (TryRead(packet) != null) decoded++;
            }, cases: 10000, stream: 42, print: p => Convert.ToBase64String(p));
            _output.WriteLine($"{decoded} of 10000 damaged datagrams still decoded");
            Assert.InRange(decoded, 1, 9999); // both outcomes were exercised
        }
    }
}
