using System;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Bench.Reporting
{
    /// <summary>
    /// One figure of the table: every measured run of it, rounded to the precision the table prints, so that the
    /// table and the JSON file carry exactly the same numbers.
    /// </summary>
    internal sealed class Measurement
    {
        private readonly List<double> _runs = new List<double>();

        public Measurement(string benchmark, string system, string metric, int decimals, string? note = null)
        {
            Benchmark = benchmark;
            System = system;
            Metric = metric;
            Decimals = decimals;
            Note = note;
        }

        public string Benchmark { get; }
        public string System { get; }

        /// <summary>What is measured, with its unit, e.g. "deliveries/s".</summary>
        public string Metric { get; }

        /// <summary>Digits after the decimal point, in the table and in the JSON file.</summary>
        public int Decimals { get; }

        public string? Note { get; set; }

        public IReadOnlyList<double> Runs => _runs;

        public bool HasRuns => _runs.Count > 0;

        public double Median
        {
            get
            {
                var sorted = Sorted();
                int middle = sorted.Count / 2;
                return sorted.Count % 2 == 1 ? sorted[middle] : Round((sorted[middle - 1] + sorted[middle]) / 2);
            }
        }

        public double Min => Sorted()[0];

        public double Max => Sorted()[^1];

        public void Add(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value)) throw new ArgumentException($"{Benchmark} / {System} / {Metric}: {value} is not a figure");
            _runs.Add(Round(value));
        }

        private double Round(double value) => Math.Round(value, Decimals, MidpointRounding.AwayFromZero);

        private List<double> Sorted()
        {
            if (_runs.Count == 0) throw new InvalidOperationException($"{Benchmark} / {System} / {Metric} has no run");
            return _runs.OrderBy(v => v).ToList();
        }
    }
}
