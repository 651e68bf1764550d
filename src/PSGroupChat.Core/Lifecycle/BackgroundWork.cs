using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Lifecycle
{
    /// <summary>
    /// Every task a session starts in the background (accept loop, handshakes, dials, re-dials, reader loops, graceful
    /// closes), so that stopping can cancel them and wait for all of them, and none outlives its session.
    /// </summary>
    internal sealed class BackgroundWork
    {
        // Set while a subscriber's event handler runs on one of this session's tasks: a stop it asks for must not wait
        // for the very task it blocks. Thread-static, not async-local: an async-local would make every await on every
        // link carry an execution context, and only the synchronous part of a handler can block its task.
        [ThreadStatic] private static BackgroundWork? t_inCallback;
        private readonly object _gate = new object();
        // Finished tasks are dropped in batches (every few additions), not by a continuation per task: a mesh starts several
        // tasks per link, and a continuation each would cost every link a few hundred bytes.
        private readonly List<Task> _running = new List<Task>();
        private const int PruneEvery = 16;
        private int _pruneAt = PruneEvery;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>Fires when the session begins to stop.</summary>
        public CancellationToken Stopping => _stopping.Token;

        /// <summary>How many tracked tasks have not finished yet.</summary>
        public int Count
        {
            get
            {
                lock (_gate) return _running.Count(t => !t.IsCompleted);
            }
        }

        /// <summary>Whether the caller is a subscriber's callback running on one of this session's tasks.</summary>
        public bool IsCurrent => t_inCallback == this;

        /// <summary>Starts <paramref name="work"/> as tracked work and returns its task.</summary>
        public Task Run(Func<Task> work) => Tracked(work());

        /// <summary>Starts <paramref name="work"/> as tracked work and returns its task.</summary>
        public Task<T> Run<T>(Func<Task<T>> work) => Tracked(work());

        /// <summary>Runs a subscriber's callback (an event handler) on the current background task, marked as such.</summary>
        public void RunCallback(Action callback)
        {
            var outer = t_inCallback;
            t_inCallback = this;
            try
            {
                callback();
            }
            finally
            {
                t_inCallback = outer;
            }
        }

        /// <summary>Tracks a task started elsewhere (a link's writer loop) until it ends.</summary>
        public void Track(Task task) => Tracked(task);

        private T Tracked<T>(T task) where T : Task
        {
            lock (_gate)
            {
                _running.Add(task);
                if (_running.Count >= _pruneAt)
                {
                    _running.RemoveAll(t => t.IsCompleted);
                    _pruneAt = _running.Count + PruneEvery;
                }
            }
            return task;
        }

        public void Cancel() => _stopping.Cancel();

        /// <summary>Waits until no tracked task is left; work that starts more work while it ends is waited for too.</summary>
        public async Task WhenIdleAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                Task[] running;
                lock (_gate)
                {
                    _running.RemoveAll(t => t.IsCompleted);
                    running = _running.ToArray();
                }
                if (running.Length == 0) return;
                // Their faults are not this wait's to report: each was logged, or handled, where it happened.
                var all = Task.WhenAll(running).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                await Waiting.UntilAsync(all, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
