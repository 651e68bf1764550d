using System;
using System.Threading;
using Microsoft.Extensions.Time.Testing;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>
    /// A fake clock that counts the timers made on it: a test advances the clock only once the code under test has set
    /// the timer it means to fire. Advancing before it is set (the loop still on its way from the last attempt to its
    /// next wait) would pass the timer by, and the test would wait for an attempt that never comes.
    /// </summary>
    public sealed class TimerCountingClock : TimeProvider
    {
        private int _timers;

        private readonly FakeTimeProvider _fake = new FakeTimeProvider(DateTimeOffset.UtcNow);

        /// <summary>How many timers were made so far.</summary>
        public int Timers => Volatile.Read(ref _timers);

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override long GetTimestamp() => _fake.GetTimestamp();

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _fake.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }

        public void Advance(TimeSpan by) => _fake.Advance(by);
    }
}
