using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CsCheck;
using PSGroupChat.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// Property tests of the frame decoder against a reference model of the framing: whatever bytes arrive, and however
    /// a socket splits them, the reader yields exactly the model's frames and then either a clean end or a
    /// <see cref="WireProtocolException"/>; nothing else escapes, and it never asks for a buffer beyond its limit.
    /// </summary>
    public class FrameReaderProperties
    {
        private readonly ITestOutputHelper _output;

        public FrameReaderProperties(ITestOutputHelper output) => _output = output;

        private enum Ending { Clean, BadLength, Truncated }

        /// <summary>What the bytes mean, worked out independently of the reader.</summary>
        private static (List<byte[]> Frames, Ending Ending) Model(byte[] data, int maxFrameSize)
        {
            var frames = new List<byte[]>();
            int at = 0;
            while (true)
            {
                if (at == data.Length) return (frames, Ending.Clean);
                if (data.Length - at < 4) return (frames, Ending.Truncated);
                int length = (data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3];
                if (length <= 0 || length > maxFrameSize) return (frames, Ending.BadLength);
                if (data.Length - at - 4 < length) return (frames, Ending.Truncated);
                frames.Add(data.AsSpan(at + 4, length).ToArray());
                at += 4 + length;
            }
        }

        /// <summary>Reads everything the reader yields, asserting only a protocol violation or a clean end can end it.</summary>
        private static (List<byte[]> Frames, Ending Ending, string? Violation) Read(byte[] data, int maxFrameSize, int[] chunks, RecordingArrayPool pool)
        {
            var frames = new List<byte[]>();
            using (var reader = new FrameReader(new ChunkedStream(data, chunks), maxFrameSize, pool))
            {
                try
                {
                    // ChunkedStream completes every read at once, so this never blocks.
                    while (reader.ReadFrameAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
                    {
                        frames.Add(reader.Current.ToArray());
                    }
                    return (frames, Ending.Clean, null);
                }
                catch (WireProtocolException e)
                {
                    return (frames, e.Message.StartsWith("frame length", StringComparison.Ordinal) ? Ending.BadLength : Ending.Truncated, e.Message);
                }
            }
        }

        private static void AssertReadsAsModelled(byte[] data, int maxFrameSize, int[] chunks)
        {
            var pool = new RecordingArrayPool();
            var expected = Model(data, maxFrameSize);
            var actual = Read(data, maxFrameSize, chunks, pool);
            Assert.Equal(expected.Ending, actual.Ending);
            Assert.Equal(expected.Frames.Count, actual.Frames.Count);
            for (int i = 0; i < expected.Frames.Count; i++) Assert.True(expected.Frames[i].AsSpan().SequenceEqual(actual.Frames[i]), $"frame {i} differs");
            AssertPoolUse(pool, maxFrameSize);
        }

        private static void AssertPoolUse(RecordingArrayPool pool, int maxFrameSize)
        {
            Assert.True(pool.LargestRequest <= maxFrameSize + FrameReader.PrefixSize,
                $"the reader asked for {pool.LargestRequest} bytes; its limit is {maxFrameSize} + {FrameReader.PrefixSize}");
            Assert.Empty(pool.Misuse);
            Assert.Equal(0, pool.Outstanding);
        }

        private static byte[] Prefix(int length) => new[] { (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length };

        private static byte[] Frame(byte[] payload) => Prefix(payload.Length).Concat(payload).ToArray();

        // Pieces the hostile byte streams are made of: whole frames, raw noise, and the length prefixes that matter.
        private static Gen<byte[]> Segment(int maxFrameSize, int largestPayload) => Gen.Frequency(
            (4, Gen.Byte.Array[1, largestPayload].Select(Frame)),
            (2, Gen.Byte.Array[0, 12]),
            (2, Gen.OneOf(Gen.Const(0), Gen.Const(-1), Gen.Const(int.MinValue), Gen.Const(int.MaxValue),
                    Gen.Const(maxFrameSize), Gen.Const(maxFrameSize + 1), Gen.Int)
                .Select(Gen.Byte.Array[0, 8], (length, tail) => Prefix(length).Concat(tail).ToArray())));

        private static readonly Gen<int[]> Chunks = Gen.Frequency(
            (1, Gen.Const(new[] { 1 })),
            (3, Gen.Int[1, 16].Array[1, 6]),
            (1, Gen.Int[1, 100_000].Array[1, 3]));

        private static Gen<(byte[] Data, int Max, int[] Chunks)> HostileStreams(Gen<int> maxFrameSize, int largestPayload, int maxSegments) =>
            from max in maxFrameSize
            from segments in Segment(max, Math.Min(largestPayload, max)).Array[0, maxSegments]
            from chunks in Chunks
            select (segments.SelectMany(s => s).ToArray(), max, chunks);

        private static string Print((byte[] Data, int Max, int[] Chunks) c) =>
            $"max {c.Max}, chunks [{string.Join(",", c.Chunks)}], {c.Data.Length} bytes: {Convert.ToHexString(c.Data.AsSpan(0, Math.Min(c.Data.Length, 200)))}";

        [Fact]
        public void RandomByteStreamsReadExactlyAsModelled()
        {
            var took = Property.Check(HostileStreams(Gen.Int[1, 300], 120, 6), c => AssertReadsAsModelled(c.Data, c.Max, c.Chunks), cases: 4000, print: Print);
            _output.WriteLine($"4000 cases in {took.TotalMilliseconds:0} ms");
        }

        [Fact]
        public void FramesLargerThanTheFirstBufferReadExactlyAsModelled()
        {
            // The reader's buffers are at most 64 KiB; it grows one beyond that only for a frame whose length passed the limit check.
            var took = Property.Check(HostileStreams(Gen.Int[60_000, 300_000], 200_000, 3), c => AssertReadsAsModelled(c.Data, c.Max, c.Chunks), cases: 400, stream: 2, print: Print);
            _output.WriteLine($"400 cases in {took.TotalMilliseconds:0} ms");
        }

        private static readonly Gen<byte[][]> ValidFrames = Gen.Byte.Array[1, 40].Array[1, 5];

        [Fact]
        public void ValidFramesSplitAtEveryByteBoundaryReadWhole()
        {
            int reads = 0;
            var took = Property.Check(ValidFrames, payloads =>
            {
                var data = payloads.SelectMany(Frame).ToArray();
                // One byte per read, then every way of cutting the bytes in two.
                var splits = new List<int[]> { new[] { 1 } };
                for (int k = 1; k < data.Length; k++) splits.Add(new[] { k, data.Length });
                foreach (var chunks in splits)
                {
                    var pool = new RecordingArrayPool();
                    var actual = Read(data, 64, chunks, pool);
                    Assert.Equal(Ending.Clean, actual.Ending);
                    Assert.Equal(payloads.Length, actual.Frames.Count);
                    for (int i = 0; i < payloads.Length; i++) Assert.Equal(payloads[i], actual.Frames[i]);
                    AssertPoolUse(pool, 64);
                    reads++;
                }
            }, cases: 3000, stream: 3);
            _output.WriteLine($"3000 cases ({reads} split streams) in {took.TotalMilliseconds:0} ms");
        }

        [Fact]
        public void TruncatedFramesEndInAViolationAndOnlyWholeFramesAreYielded()
        {
            var gen = from payloads in ValidFrames
                      let data = payloads.SelectMany(Frame).ToArray()
                      from cut in Gen.Int[0, data.Length]
                      from chunks in Chunks
                      select (payloads, data, cut, chunks);
            var took = Property.Check(gen, c =>
            {
                var pool = new RecordingArrayPool();
                var actual = Read(c.data.AsSpan(0, c.cut).ToArray(), 64, c.chunks, pool);
                // The frames that fit before the cut, and a clean end only when the cut falls between frames.
                int whole = 0, end = 0;
                while (whole < c.payloads.Length && end + 4 + c.payloads[whole].Length <= c.cut) end += 4 + c.payloads[whole++].Length;
                Assert.Equal(whole, actual.Frames.Count);
                Assert.Equal(end == c.cut ? Ending.Clean : Ending.Truncated, actual.Ending);
                if (actual.Ending == Ending.Truncated) Assert.Contains("ended inside a frame", actual.Violation);
                AssertPoolUse(pool, 64);
            }, cases: 3000, stream: 4);
            _output.WriteLine($"3000 cases in {took.TotalMilliseconds:0} ms");
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(int.MinValue)]
        [InlineData(int.MaxValue)]
        [InlineData(ChatLimitsForTests.DefaultMaxFrameSize + 1)]
        public void AHostileLengthPrefixIsAViolationBeforeAnyBufferForIt(int length)
        {
            int max = ChatLimitsForTests.DefaultMaxFrameSize;
            var pool = new RecordingArrayPool();
            // A valid frame first, so the reader has already settled into its buffer; then the hostile prefix, then a
            // little of what it claims to carry.
            var data = Frame(new byte[] { 1, 2, 3 }).Concat(Prefix(length)).Concat(new byte[100]).ToArray();
            var actual = Read(data, max, new[] { 1, 7, 3 }, pool);
            Assert.Single(actual.Frames);
            Assert.Equal(Ending.BadLength, actual.Ending);
            Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), actual.Violation);
            AssertPoolUse(pool, max);
        }

        [Fact]
        public void TheLargestAllowedFrameIsReadWhole()
        {
            int max = ChatLimitsForTests.DefaultMaxFrameSize;
            var payload = new byte[max];
            new Random(7).NextBytes(payload);
            var pool = new RecordingArrayPool();
            var actual = Read(Frame(payload), max, new[] { 65_536, 1, 4_000 }, pool);
            Assert.Equal(Ending.Clean, actual.Ending);
            Assert.Equal(payload, Assert.Single(actual.Frames));
            Assert.Equal(max + FrameReader.PrefixSize, pool.LargestRequest);
            AssertPoolUse(pool, max);
        }
    }
}
