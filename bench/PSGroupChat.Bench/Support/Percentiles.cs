using System;

namespace PSGroupChat.Bench.Support
{
    /// <summary>Nearest-rank percentiles of a sample.</summary>
    internal static class Percentiles
    {
        /// <summary>The value below or at which <paramref name="percent"/> % of the sorted sample lies.</summary>
        public static double Of(double[] sorted, double percent)
        {
            if (sorted.Length == 0) throw new ArgumentException("an empty sample has no percentile");
            int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }
}
