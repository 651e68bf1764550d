using PSGroupChat.Delivery;
using Xunit;

namespace PSGroupChat.Tests.Delivery
{
    public class LinkMarksTests
    {
        [Fact]
        public void ANewLinkIsDueAPushOfEveryOrigin()
        {
            var marks = new LinkMarks(4);
            Assert.True(marks.PushDue);
            Assert.Equal(-1, marks.ServedAtHeartbeat);
        }

        [Fact]
        public void AMemberMarkThatRisesMakesAPushDueAndOneThatDoesNotLeavesItAlone()
        {
            // A heartbeat looks only at moved origins while nothing is due: a member that now names an origin it never
            // named (or a higher mark) may be owed what no moved mark shows, so every origin is looked at again.
            var marks = new LinkMarks(4);
            var origin = new OriginLog("o", 9, 0, "ann"); // beyond the table the link was made with: it grows
            marks.PushDue = false;
            marks.RaisePeerMark(origin, 5);
            Assert.True(marks.PushDue);
            Assert.Equal(5, marks.PeerMark(origin));

            marks.PushDue = false;
            marks.RaisePeerMark(origin, 3);
            Assert.False(marks.PushDue);
            Assert.Equal(5, marks.PeerMark(origin));
            Assert.Equal(-1, marks.PeerMark(new OriginLog("p", 2, 0, "ben")));
        }
    }
}
