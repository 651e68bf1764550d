namespace PSGroupChat
{
    /// <summary>The reasons a Left notice can carry: stable strings that scripts and simulations compare against.</summary>
    public static class LeaveReason
    {
        /// <summary>The member said it was leaving (Stop-ChatPeer).</summary>
        public const string Graceful = "graceful";

        /// <summary>The member's connection ended without a leave notice: a crash, a reset or an end of stream.</summary>
        public const string ConnectionLost = "connection lost";

        /// <summary>The member stopped answering heartbeats for longer than the peer timeout.</summary>
        public const string Timeout = "timeout";

        /// <summary>The member's user name clashed with an earlier member's and it was asked to leave.</summary>
        public const string NameConflict = "name conflict";
    }
}
