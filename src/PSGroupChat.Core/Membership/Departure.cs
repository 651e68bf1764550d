namespace PSGroupChat.Membership
{
    /// <summary>Why a member left: the typed form of the Left notice's <see cref="LeaveReason"/>.</summary>
    internal enum Departure
    {
        /// <summary>It sent a leave notice.</summary>
        Graceful,

        /// <summary>Its link ended without one (or it broke the protocol, or read too slowly).</summary>
        ConnectionLost,

        /// <summary>It was silent for longer than the peer timeout.</summary>
        Timeout,

        /// <summary>It claimed a user name with a later claim than another member's, or refused ours.</summary>
        NameConflict,
    }

    internal static class DepartureText
    {
        /// <summary>The stable text a Left notice carries in its Reason.</summary>
        public static string ToReason(this Departure departure) => departure switch
        {
            Departure.Graceful => LeaveReason.Graceful,
            Departure.Timeout => LeaveReason.Timeout,
            Departure.NameConflict => LeaveReason.NameConflict,
            _ => LeaveReason.ConnectionLost,
        };
    }
}
