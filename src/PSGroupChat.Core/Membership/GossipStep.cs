namespace PSGroupChat.Membership
{
    /// <summary>What <see cref="MemberRegistry.Consider"/> says to do about one announced member.</summary>
    internal readonly record struct GossipStep(GossipAction Action, bool DialNow, Member? Expel)
    {
        public static readonly GossipStep Skip = new GossipStep(GossipAction.Skip, false, null);
        public static readonly GossipStep StopReading = new GossipStep(GossipAction.StopReading, false, null);
        public static readonly GossipStep OwnNameLost = new GossipStep(GossipAction.OwnNameLost, false, null);

        public static GossipStep Dial(bool dialNow, Member? expel) => new GossipStep(GossipAction.Dial, dialNow, expel);
    }

    internal enum GossipAction
    {
        /// <summary>Known, departed, being dialed, or its name is taken: nothing to do.</summary>
        Skip,

        /// <summary>Stopping, or full: ignore the rest of the list.</summary>
        StopReading,

        /// <summary>It holds an earlier claim to this session's own name: this session must leave.</summary>
        OwnNameLost,

        /// <summary>Link to it (at once when this side is the arbiter), expelling a later holder of its name first.</summary>
        Dial,
    }
}
