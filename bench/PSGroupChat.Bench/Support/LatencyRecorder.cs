using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace PSGroupChat.Bench.Support
{
    /// <summary>
    /// Send and arrival times of one latency run, by message index and receiver. Sender and receivers share one process
    /// and so one clock (Stopwatch), which is what makes a one-way time measurable at all.
    /// </summary>
    internal sealed class LatencyRecorder
    {
        private readonly long[] _sent;
        private readonly long[][] _arrived;
        private int _late;

        public LatencyRecorder(int messages, int receivers)
        {
            _sent = new long[messages];
            _arrived = new long[receivers][];
            for (int r = 0; r < receivers; r++) _arrived[r] = new long[messages];
            Arrivals = new DeliveryCounter();
        }

        /// <summary>Counts recorded arrivals, over all receivers.</summary>
        public DeliveryCounter Arrivals { get; }

        public void Sent(int index) => _sent[index] = Stopwatch.GetTimestamp();

        public void Sent(int index, long timestamp) => _sent[index] = timestamp;

        public void Arrived(int receiver, long index, long timestamp)
        {
            if (index < 0 || index >= _sent.Length)
            {
                Interlocked.Increment(ref _late); // a message of an earlier run: not this run's business
                return;
            }
            _arrived[receiver][index] = timestamp;
            Arrivals.Add(1);
        }

        /// <summary>Every one-way time of the run, in microseconds, sorted. Throws when a message never arrived.</summary>
        public double[] SortedMicroseconds()
        {
            var all = new List<double>(_sent.Length * _arrived.Length);
            foreach (var arrivals in _arrived)
            {
                for (int i = 0; i < _sent.Length; i++)
                {
                    if (arrivals[i] == 0) throw new InvalidOperationException($"message {i} of the latency run never arrived");
                    all.Add((arrivals[i] - _sent[i]) * 1_000_000.0 / Stopwatch.Frequency);
                }
            }
            var sorted = all.ToArray();
            Array.Sort(sorted);
            return sorted;
        }
    }
}
