using System.IO;
using System.Text.Json;

namespace PSGroupChat.Bench.Reporting
{
    /// <summary>Writes a report as JSON: the same figures as the markdown table, as numbers.</summary>
    internal static class JsonReport
    {
        public static void Write(BenchReport report, string path)
        {
            var full = Path.GetFullPath(path);
            var folder = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            using var stream = File.Create(full);
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("mode", report.Mode);
            json.WriteString("startedAt", report.StartedAt);
            json.WriteNumber("durationSeconds", System.Math.Round(report.Duration.TotalSeconds, 1));
            json.WriteStartObject("machine");
            json.WriteNumber("logicalCores", report.Machine.LogicalCores);
            json.WriteString("cpu", report.Machine.Cpu);
            json.WriteString("memory", report.Machine.Memory);
            json.WriteString("os", report.Machine.OperatingSystem);
            json.WriteString("runtime", report.Machine.Runtime);
            json.WriteString("netmq", report.Machine.NetMQ);
            json.WriteString("powershellEngine", report.Machine.PowerShellEngine);
            json.WriteString("loadAverageAtStart", report.Machine.LoadAtStart);
            json.WriteString("loadAverageAtEnd", report.Machine.LoadAtEnd);
            json.WriteEndObject();
            json.WriteStartArray("measurements");
            foreach (var row in report.Measurements)
            {
                if (!row.HasRuns) continue;
                json.WriteStartObject();
                json.WriteString("benchmark", row.Benchmark);
                json.WriteString("system", row.System);
                json.WriteString("metric", row.Metric);
                json.WriteNumber("median", row.Median);
                json.WriteNumber("min", row.Min);
                json.WriteNumber("max", row.Max);
                json.WriteStartArray("runs");
                foreach (var run in row.Runs) json.WriteNumberValue(run);
                json.WriteEndArray();
                if (row.Note != null) json.WriteString("note", row.Note);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("targets");
            foreach (var target in report.Targets)
            {
                json.WriteStartObject();
                json.WriteString("target", target.Target);
                json.WriteString("measured", target.Measured);
                json.WriteBoolean("met", target.Met);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("problems");
            foreach (var problem in report.Problems) json.WriteStringValue(problem);
            json.WriteEndArray();
            json.WriteEndObject();
        }
    }
}
