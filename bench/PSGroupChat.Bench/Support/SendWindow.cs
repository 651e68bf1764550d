using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace PSGroupChat.Bench.Support
{
    /// <summary>
    /// Application-level flow control for senders that do not block by themselves: the sender may run at most
    /// <see cref="Size"/> messages ahead of its slowest receiver. Receivers' counters call <see cref="Progress"/>.
    /// </summary>
    internal sealed class SendWindow
    {
        private readonly ManualResetEventSlim _progress = new ManualResetEventSlim(false);
        private IReadOnlyList<DeliveryCounter> _receivers = Array.Empty<DeliveryCounter>();
        private long _slowest;

        public SendWindow(int size) => Size = size;

        public int Size { get; }

        /// <summary>The receivers whose counts the window follows; set once they exist.</summary>
        public void Follow(IReadOnlyList<DeliveryCounter> receivers)
        {
            _receivers = receivers;
            _slowest = receivers.Count == 0 ? 0 : receivers.Min(r => r.Count);
        }

        public void Progress() => _progress.Set();

        /// <summary>Returns once the receivers are fewer than <see cref="Size"/> messages behind <paramref name="sentSoFar"/>.</summary>
        public void WaitForRoom(long sentSoFar)
        {
            if (sentSoFar - _slowest < Size) return;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                _progress.Reset();
                _slowest = Slowest();
                if (sentSoFar - _slowest < Size) return;
                if (!_progress.Wait(TimeSpan.FromSeconds(1)) && DateTime.UtcNow > deadline)
                    throw new TimeoutException($"the receivers made no progress for 60 s ({_slowest} of {sentSoFar} delivered)");
            }
        }

        private long Slowest()
        {
            long slowest = long.MaxValue;
            foreach (var receiver in _receivers) slowest = Math.Min(slowest, receiver.Count);
            return slowest;
        }
    }
}
