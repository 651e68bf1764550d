using System;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Bench.Reporting
{
    /// <summary>Everything one run of the program measured: the rows of the table, the targets, the machine, the mode.</summary>
    internal sealed class BenchReport
    {
        private readonly List<Measurement> _measurements = new List<Measurement>();
        private readonly List<TargetVerdict> _targets = new List<TargetVerdict>();
        private readonly List<string> _problems = new List<string>();

        public BenchReport(string mode, MachineDescription machine)
        {
            Mode = mode;
            Machine = machine;
            StartedAt = DateTimeOffset.UtcNow;
        }

        public string Mode { get; }
        public MachineDescription Machine { get; }
        public DateTimeOffset StartedAt { get; }
        public TimeSpan Duration { get; set; }

        public IReadOnlyList<Measurement> Measurements => _measurements;
        public IReadOnlyList<TargetVerdict> Targets => _targets;

        /// <summary>What went wrong during the run (a benchmark that could not complete): printed, never hidden.</summary>
        public IReadOnlyList<string> Problems => _problems;

        /// <summary>Adds a row (or returns the one already there), in the order the table prints them.</summary>
        public Measurement Row(string benchmark, string system, string metric, int decimals, string? note = null)
        {
            var existing = Find(benchmark, system, metric);
            if (existing != null) return existing;
            var row = new Measurement(benchmark, system, metric, decimals, note);
            _measurements.Add(row);
            return row;
        }

        public Measurement? Find(string benchmark, string system, string metric) =>
            _measurements.FirstOrDefault(m => m.Benchmark == benchmark && m.System == system && m.Metric == metric);

        public void AddTarget(string target, string measured, bool met) => _targets.Add(new TargetVerdict(target, measured, met));

        public void AddProblem(string problem) => _problems.Add(problem);
    }
}
