using System.Collections.Generic;
using System.Linq;
using PSGroupChat.Delivery;
using PSGroupChat.Protocol;
using Xunit;

namespace PSGroupChat.Tests.Delivery
{
    public class SequenceSpaceTests
    {
        private static MessageFrame M(long seq) => new MessageFrame("o", seq, 0, "m" + seq, null, false, false);

        private static List<Arrival> Offer(SequenceSpace space, int limit, params long[] sequences)
        {
            var ready = new List<Arrival>();
            foreach (var s in sequences) space.Offer(M(s), limit, ready);
            return ready;
        }

        [Fact]
        public void OutOfOrderArrivalsAreDeliveredInOrderAndDuplicatesDropped()
        {
            var space = new SequenceSpace(0);
            var ready = Offer(space, 100, 3, 1, 3, 2, 1, 5, 4, 5);
            Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, ready.Select(a => a.Message!.Value.Sequence));
            Assert.Equal(5, space.Contiguous);
            Assert.Equal(0, space.WaitingCount);
        }

        [Fact]
        public void AFullReorderBufferGivesUpTheOldestHoleWithItsCount()
        {
            var space = new SequenceSpace(10);
            // 11 and 12 never come; 13..16 wait, and the fourth waiting one is over the limit of three.
            var ready = Offer(space, 3, 13, 14, 15, 16);
            var missed = Assert.Single(ready, a => a.Message == null);
            Assert.Equal((11L, 12L, 2L), (missed.MissedFrom, missed.MissedTo, missed.MissedCount));
            Assert.Equal(new long[] { 13, 14, 15, 16 }, ready.Where(a => a.Message != null).Select(a => a.Message!.Value.Sequence));
            Assert.Equal(16, space.Contiguous);
        }

        [Fact]
        public void AGapCountsOnlyWhatNeverCameAndDeliversWhatWaitedBehindIt()
        {
            var space = new SequenceSpace(0);
            var ready = Offer(space, 100, 3, 6);
            Assert.Empty(ready);
            space.Skip(1, 4, ready);
            Assert.Equal((1L, 4L, 3L), (ready[0].MissedFrom, ready[0].MissedTo, ready[0].MissedCount));
            Assert.Equal(new long[] { 3 }, ready.Skip(1).Select(a => a.Message!.Value.Sequence));
            Assert.Equal(4, space.Contiguous);
            ready.Clear();
            space.Skip(1, 4, ready); // told twice: nothing more
            Assert.Empty(ready);
            Offer(space, 100, 5).ForEach(ready.Add);
            Assert.Equal(new long[] { 5, 6 }, ready.Select(a => a.Message!.Value.Sequence));
        }

        [Fact]
        public void AGapThatDoesNotTouchTheMarkIsIgnored()
        {
            var space = new SequenceSpace(0);
            var ready = new List<Arrival>();
            space.Skip(3, 4, ready); // 1 and 2 are still on their way
            Assert.Empty(ready);
            Assert.Equal(0, space.Contiguous);
        }
    }
}
