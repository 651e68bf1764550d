using System.Globalization;
using PSGroupChat.Bench.Benchmarks;

namespace PSGroupChat.Bench.Reporting
{
    /// <summary>The targets of issue 6, judged on this run's medians. A figure that is missing is a target not met.</summary>
    internal static class Targets
    {
        public static void Evaluate(BenchReport report)
        {
            string throughput = BroadcastThroughput.Title(64);
            AtLeast(report, "64 B broadcast: PSGroupChat / NetMQ >= 1.0", report.Find(throughput, "PSGroupChat / NetMQ", "ratio"), 1.0);
            AtLeast(report, "64 B broadcast: PSGroupChat / raw TCP >= 0.25", report.Find(throughput, "PSGroupChat / raw TCP", "ratio"), 0.25);
            AtMost(report, "p99 latency at 1,000 msg/s < 1 ms", report.Find(Latency.Title, "PSGroupChat", "p99 µs"), 1000, strict: true, " µs");
            AtMost(report, "p99 latency within 2x of raw TCP's", report.Find(Latency.Title, "PSGroupChat / raw TCP", "p99 ratio"), 2.0, strict: false, "x");
            AtMost(report, "100-peer mesh formed in < 5 s", report.Find(MeshFormation.Title, MeshFormation.System(100), "time to full mesh ms"), 5000, strict: true, " ms");
            AtMost(report, "< 64 KiB managed memory per idle connection (100 peers)",
                report.Find(MeshFormation.Title, MeshFormation.System(100), "managed KiB per idle connection end"), 64, strict: true, " KiB");
            AtLeast(report, "Send-ChatMessage >= 100,000 msg/s", report.Find(CmdletPath.Title, CmdletPath.SendSystem, "messages/s"), 100_000);
            AtLeast(report, "Receive-ChatMessage >= 100,000 msg/s", report.Find(CmdletPath.Title, CmdletPath.ReceiveSystem, "messages/s"), 100_000);
        }

        private static void AtLeast(BenchReport report, string target, Measurement? row, double threshold, string unit = "")
        {
            if (row == null || !row.HasRuns) report.AddTarget(target, "not measured", false);
            else report.AddTarget(target, Show(row, unit), row.Median >= threshold);
        }

        private static void AtMost(BenchReport report, string target, Measurement? row, double threshold, bool strict, string unit)
        {
            if (row == null || !row.HasRuns) report.AddTarget(target, "not measured", false);
            else report.AddTarget(target, Show(row, unit), strict ? row.Median < threshold : row.Median <= threshold);
        }

        private static string Show(Measurement row, string unit) =>
            MarkdownTable.Format(row.Median, row.Decimals) + unit + string.Format(CultureInfo.InvariantCulture, " (runs {0} to {1})",
                MarkdownTable.Format(row.Min, row.Decimals), MarkdownTable.Format(row.Max, row.Decimals));
    }
}
