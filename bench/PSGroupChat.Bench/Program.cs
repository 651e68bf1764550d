using System;
using System.Diagnostics;
using System.Threading.Tasks;
using PSGroupChat.Bench;
using PSGroupChat.Bench.Benchmarks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Systems;

// Runs every benchmark (issue 6's, with the rows of issues 15 and 16) and prints one markdown table; progress goes to stderr so that stdout is the table.
if (args.Length > 0 && args[0] == MeshPart.Argument) return await MeshPart.RunAsync(args); // one process of the 250-peer mesh

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (UsageException e)
{
    if (e.Problem != null) Console.Error.WriteLine(e.Problem);
    Console.Error.WriteLine(UsageException.Usage);
    return e.Problem == null ? 0 : 2;
}

#if DEBUG
Console.Error.WriteLine("warning: a Debug build; figures that mean anything come from -c Release");
#endif

var report = new BenchReport(settings.Mode, MachineDescription.Current());
var clock = Stopwatch.StartNew();
void Progress(string line) => Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {line}");
Progress($"{settings.Mode} run on {report.Machine}");

// A benchmark that is part of another runs with it under --only, and alone under its own name.
var benchmarks = new (string Name, string? PartOf, Func<BenchSettings, BenchReport, Action<string>, Task> Run)[]
{
    ("throughput", null, BroadcastThroughput.RunAsync),
    ("latency", null, Latency.RunAsync),
    ("fan-out", null, FanOut.RunAsync),
    ("mesh", null, MeshFormation.RunAsync),
    ("mesh250", "mesh", ProcessMeshFormation.RunAsync),
    ("cmdlets", null, CmdletPath.RunAsync),
    ("slow-consumer", null, SlowConsumer.RunAsync),
};
if (settings.Only != null && !Array.Exists(benchmarks, b => b.Name == settings.Only))
{
    Console.Error.WriteLine($"--only takes one of: {string.Join(", ", Array.ConvertAll(benchmarks, b => b.Name))}");
    return 2;
}
int failed = 0;
foreach (var (name, partOf, run) in benchmarks)
{
    if (settings.Only != null && name != settings.Only && partOf != settings.Only) continue;
    try
    {
        await run(settings, report, Progress);
    }
    catch (Exception e)
    {
        // One benchmark that cannot complete must not cost the others their figures; it is reported, never hidden.
        failed++;
        report.AddProblem($"{name} did not complete: {e.GetType().Name}: {e.Message}");
        Progress($"{name} FAILED: {e}");
    }
}

report.Duration = clock.Elapsed;
report.Machine.NoteEnd();
Targets.Evaluate(report);
Console.Write(MarkdownTable.Render(report));
if (settings.JsonPath != null)
{
    JsonReport.Write(report, settings.JsonPath);
    Progress($"wrote {settings.JsonPath}");
}
return failed == 0 ? 0 : 1;
