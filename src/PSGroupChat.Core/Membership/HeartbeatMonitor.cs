using System;
using System.Threading;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// Ticks every heartbeat interval on the session's <see cref="TimeProvider"/>: .NET Standard has no portable TCP
    /// keepalive, so a member that goes silent without closing (a frozen process, a cut cable) is found only this way.
    /// It also notices when this session itself was not running: two of its own ticks much further apart than the
    /// interval (more than <see cref="JumpFactor"/> intervals) mean the process was frozen or the computer asleep, and
    /// the tick says so, so that nobody is judged before what arrived meanwhile is read. Tests drive it with a fake clock.
    /// </summary>
    internal sealed class HeartbeatMonitor : IDisposable
    {
        /// <summary>How many intervals between two ticks count as a freeze of this session.</summary>
        public const int JumpFactor = 3;

        private readonly ITimer _timer;
        private readonly TimeProvider _time;
        private readonly TimeSpan _interval;
        private long _lastTick;
        private int _ticking;

        // onTick's argument: this session was not running for the time given (a freeze), or null.
        public HeartbeatMonitor(TimeProvider time, TimeSpan interval, Action<TimeSpan?> onTick)
        {
            _time = time;
            _interval = interval;
            _lastTick = time.GetTimestamp();
            _timer = time.CreateTimer(_ =>
            {
                // A fake clock advanced by many intervals at once calls back re-entrantly; one tick at a time is enough.
                if (Interlocked.Exchange(ref _ticking, 1) != 0) return;
                try
                {
                    long now = _time.GetTimestamp();
                    var since = _time.GetElapsedTime(Interlocked.Exchange(ref _lastTick, now), now);
                    onTick(since > TimeSpan.FromTicks(_interval.Ticks * JumpFactor) ? since : (TimeSpan?)null);
                }
                finally { Volatile.Write(ref _ticking, 0); }
            }, null, interval, interval);
        }

        public void Dispose() => _timer.Dispose();
    }
}
