using System;

namespace PSGroupChat.Delivery
{
    /// <summary>The session options the router works with, read once at start.</summary>
    internal sealed record DeliveryOptions(HistoryBound History, int MaxOrigins, TimeSpan Settle, bool HistoryWanted, int HistoryCount, TimeSpan? HistoryAge)
    {
        /// <summary>The most messages queued on one link per reconciliation round, so a long catch-up never floods its send queue.</summary>
        public const int MaxPushPerRound = 8192;

        /// <summary>The most marks in one digest frame; a longer digest is sent as several frames.</summary>
        public const int MaxMarksPerDigest = 256;
    }
}
