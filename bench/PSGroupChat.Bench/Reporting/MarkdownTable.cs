using System.Globalization;
using System.Linq;
using System.Text;

namespace PSGroupChat.Bench.Reporting
{
    /// <summary>Prints a report as markdown: the machine, the table of figures, the targets, and any problem.</summary>
    internal static class MarkdownTable
    {
        public static string Render(BenchReport report)
        {
            var text = new StringBuilder();
            text.AppendLine($"## PSGroupChat benchmarks ({report.Mode} run, {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.Duration.TotalSeconds:0.0} s)");
            text.AppendLine();
            text.AppendLine($"Machine: {report.Machine}");
            text.AppendLine();
            text.AppendLine("| Benchmark | System | Metric | Median | Min | Max | Runs |");
            text.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: |");
            foreach (var row in report.Measurements.Where(m => m.HasRuns))
            {
                text.AppendLine($"| {Cell(row.Benchmark)} | {Cell(row.System)} | {Cell(row.Metric)} | {Format(row.Median, row.Decimals)} | {Format(row.Min, row.Decimals)} | " +
                    $"{Format(row.Max, row.Decimals)} | {row.Runs.Count} |");
            }
            var notes = report.Measurements.Where(m => m.HasRuns && m.Note != null).ToList();
            if (notes.Count > 0)
            {
                text.AppendLine();
                foreach (var row in notes) text.AppendLine($"- {row.Benchmark} / {row.System} / {row.Metric}: {row.Note}");
            }
            text.AppendLine();
            text.AppendLine("| Target | Measured (median) | Met |");
            text.AppendLine("| --- | --- | --- |");
            foreach (var target in report.Targets) text.AppendLine($"| {Cell(target.Target)} | {Cell(target.Measured)} | {(target.Met ? "yes" : "**no**")} |");
            if (report.Problems.Count > 0)
            {
                text.AppendLine();
                text.AppendLine("Problems:");
                foreach (var problem in report.Problems) text.AppendLine($"- {problem}");
            }
            return text.ToString();
        }

        /// <summary>A cell's text with any '|' escaped, so that no name can split a row.</summary>
        private static string Cell(string text) => text.Replace("|", "\\|");

        /// <summary>The one number format of the table: invariant culture, thousands separated, fixed decimals.</summary>
        public static string Format(double value, int decimals) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);
    }
}
