using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;

namespace PSGroupChat.Bench.Support
{
    /// <summary>
    /// Sends at a steady rate on an absolute schedule (message i is due at start + i / rate), sleeping between sends.
    /// Thread.Sleep has 1 ms granularity, the whole interval at 1,000 msg/s, so on Linux the sub-millisecond rest is
    /// slept with nanosleep; elsewhere the pacer yields until the time comes. Spinning would take a core from the
    /// receivers on a 2-core machine.
    /// </summary>
    internal sealed class Pacer
    {
        private static readonly bool HasNanosleep = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        private readonly long _start;
        private readonly double _ticksPerMessage;

        public Pacer(int messagesPerSecond)
        {
            _start = Stopwatch.GetTimestamp();
            _ticksPerMessage = (double)Stopwatch.Frequency / messagesPerSecond;
        }

        public void WaitForTurn(int index)
        {
            long due = _start + (long)(index * _ticksPerMessage);
            while (true)
            {
                long remaining = due - Stopwatch.GetTimestamp();
                if (remaining <= 0) return;
                if (HasNanosleep) SleepNanoseconds(remaining * 1_000_000_000 / Stopwatch.Frequency);
                else Thread.Sleep(0);
            }
        }

        private static void SleepNanoseconds(long nanoseconds)
        {
            var request = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
            nanosleep(ref request, IntPtr.Zero);
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int nanosleep(ref TimeSpec request, IntPtr remaining);
    }
}
