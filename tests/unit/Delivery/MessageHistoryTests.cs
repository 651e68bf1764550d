using System;
using System.Linq;
using PSGroupChat.Delivery;
using PSGroupChat.Protocol;
using PSGroupChat.Tests.Hardening;
using Xunit;

namespace PSGroupChat.Tests.Delivery
{
    public class MessageHistoryTests
    {
        private static readonly string Origin = new string('a', 32);

        private static byte[] Frame(long sequence) => WireCodec.EncodeMessage(Origin, sequence, 1000 + sequence, "m" + sequence, null, action: false);

        [Fact]
        public void HistoryKeepsTheNewestWithinItsLimitAndFindsASequence()
        {
            var pool = new RecordingArrayPool();
            var history = new MessageHistory(pool);
            var at = System.DateTimeOffset.UnixEpoch;
            foreach (var s in new long[] { 1, 2, 4, 5, 6 }) history.KeepCopy(s, 1000 + s, at.AddSeconds(s), Frame(s), 4);
            Assert.Equal(4, history.Count);
            Assert.Equal(2, history[0].Sequence);
            Assert.Equal(1, history.IndexFrom(3)); // 4 is the first at or above 3
            history.Prune(at.AddSeconds(5));
            Assert.Equal(new long[] { 5, 6 }, Enumerable.Range(0, history.Count).Select(i => history[i].Sequence));
            // What left the history went back to the pool, once each; what is kept is still out.
            Assert.Empty(pool.Misuse);
            Assert.Equal(2, pool.Outstanding);
        }

        [Fact]
        public void AKeptFrameIsSentAgainAsItWasOrMarkedAsHistory()
        {
            var history = new MessageHistory(new RecordingArrayPool());
            var original = Frame(7);
            history.KeepCopy(7, 1007, System.DateTimeOffset.UnixEpoch, original, 10);
            var kept = history[0].Frame;
            Assert.Equal(original, WireCodec.CopyMessage(kept, history: false));
            Assert.Null(WireCodec.Decode(WireCodec.CopyMessage(kept, history: true).AsSpan(4), out var replay));
            Assert.Equal(new MessageFrame(Origin, 7, 1007, "m7", null, false, History: true), replay);
        }

        [Fact]
        public void APayloadAsReadIsKeptAsTheFrameItCameIn()
        {
            var original = Frame(8);
            var kept = WireCodec.FrameOf(original.AsSpan(4), new RecordingArrayPool());
            Assert.Equal(original, kept);
        }
    }
}
