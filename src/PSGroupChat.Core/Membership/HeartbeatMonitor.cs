using System;
using System.Threading;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// Ticks every heartbeat interval on the session's <see cref="TimeProvider"/>: .NET Standard has no portable TCP
    /// keepalive, so a member that goes silent without closing (a frozen process, a cut cable) is found only this way.
    /// Tests drive it with a fake clock.
    /// </summary>
    internal sealed class HeartbeatMonitor : IDisposable
    {
        private readonly ITimer _timer;
        private int _ticking;

        public HeartbeatMonitor(TimeProvider time, TimeSpan interval, Action onTick)
        {
            _timer = time.CreateTimer(_ =>
            {
                // A fake clock advanced by many intervals at once calls back re-entrantly; one tick at a time is enough.
                if (Interlocked.Exchange(ref _ticking, 1) != 0) return;
                try { onTick(); } finally { Volatile.Write(ref _ticking, 0); }
            }, null, interval, interval);
        }

        public void Dispose() => _timer.Dispose();
    }
}
