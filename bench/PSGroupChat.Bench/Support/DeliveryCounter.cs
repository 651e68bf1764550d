using System;
using System.Threading;

namespace PSGroupChat.Bench.Support
{
    /// <summary>
    /// Counts what one receiver got, over the whole life of a mesh, and wakes whoever waits for a count. Receivers add
    /// in batches (one call per socket read or inbox drain), so the counting itself costs next to nothing.
    /// </summary>
    internal sealed class DeliveryCounter
    {
        private readonly ManualResetEventSlim _reached = new ManualResetEventSlim(false);
        private readonly Action? _onProgress;
        private long _count;
        private long _target = long.MaxValue;

        public DeliveryCounter(Action? onProgress = null) => _onProgress = onProgress;

        public long Count => Interlocked.Read(ref _count);

        public void Add(long delivered)
        {
            long now = Interlocked.Add(ref _count, delivered);
            if (now >= Interlocked.Read(ref _target)) _reached.Set();
            _onProgress?.Invoke();
        }

        /// <summary>Arms the counter: <see cref="WaitForTarget"/> returns once the count reaches <paramref name="target"/>.</summary>
        public void Expect(long target)
        {
            _reached.Reset();
            Interlocked.Exchange(ref _target, target);
            if (Count >= target) _reached.Set();
        }

        public bool WaitForTarget(TimeSpan limit) => _reached.Wait(limit);
    }
}
