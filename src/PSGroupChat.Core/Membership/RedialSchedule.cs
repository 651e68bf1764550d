using System;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// Exponential back-off for re-dialing a member whose link was lost without a leave notice:
    /// 0.5 s, 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s, for at most <see cref="MaxAttempts"/> attempts (about two and a half minutes).
    /// </summary>
    internal static class RedialSchedule
    {
        public const int MaxAttempts = 10;
        private static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
        private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

        /// <summary>The wait before attempt number <paramref name="attempt"/> (1-based).</summary>
        public static TimeSpan DelayBefore(int attempt)
        {
            double ms = First.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
            return ms >= Cap.TotalMilliseconds ? Cap : TimeSpan.FromMilliseconds(ms);
        }
    }
}
