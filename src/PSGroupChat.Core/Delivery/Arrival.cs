using PSGroupChat.Protocol;

namespace PSGroupChat.Delivery
{
    /// <summary>What a sequence space hands on, in order: a message, or a run of messages given up as missed.</summary>
    internal readonly record struct Arrival(MessageFrame? Message, long MissedFrom, long MissedTo, long MissedCount)
    {
        public static Arrival Of(MessageFrame message) => new Arrival(message, 0, 0, 0);

        public static Arrival Missed(long from, long to, long count) => new Arrival(null, from, to, count);
    }
}
