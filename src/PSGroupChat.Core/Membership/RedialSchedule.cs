using System;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// Capped exponential back-off for re-dialing a member whose link was lost without a leave notice: 1 s, 2 s, 4 s,
    /// 8 s, 16 s, then every 30 s, until the member is back or the session's re-dial horizon (24 h by default) has passed
    /// since it was lost. Each attempt also spends up to the connect timeout, so attempts are at most about 30 s plus
    /// that apart: a partition of any length within the horizon heals at most that long after the network does.
    /// </summary>
    internal static class RedialSchedule
    {
        private static readonly TimeSpan First = TimeSpan.FromSeconds(1);

        /// <summary>The longest wait between two attempts.</summary>
        public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

        /// <summary>The wait before attempt number <paramref name="attempt"/> (1-based).</summary>
        public static TimeSpan DelayBefore(int attempt)
        {
            double ms = First.TotalMilliseconds * Math.Pow(2, Math.Min(30, Math.Max(0, attempt - 1)));
            return ms >= Cap.TotalMilliseconds ? Cap : TimeSpan.FromMilliseconds(ms);
        }
    }
}
