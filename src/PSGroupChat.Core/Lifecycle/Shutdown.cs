using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using PSGroupChat.Delivery;
using PSGroupChat.Logging;
using PSGroupChat.Membership;

namespace PSGroupChat.Lifecycle
{
    /// <summary>
    /// The stop sequence, run once whoever asks first (the user, a lost name, a crash simulation): stop taking work, tell
    /// the members, close every link and the listener, complete the inbox and the log; then wait for every background task.
    /// </summary>
    internal sealed class Shutdown
    {
        private readonly TaskCompletionSource<bool> _stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly MemberRegistry _registry;
        private readonly MemberLinks _links;
        private readonly BackgroundWork _work;
        private readonly IDisposable[] _sources; // what feeds the session work: the heartbeat and the listener
        private readonly ChatInbox _inbox;
        private readonly ILogger _log;
        private readonly ILoggerFactory? _loggerFactory;

        public Shutdown(MemberRegistry registry, MemberLinks links, BackgroundWork work, IDisposable[] sources, ChatInbox inbox, ILogger log, ILoggerFactory? loggerFactory)
        {
            _registry = registry;
            _links = links;
            _work = work;
            _sources = sources;
            _inbox = inbox;
            _log = log;
            _loggerFactory = loggerFactory;
        }

        /// <summary>The session's room on the LAN, withdrawn first on stop, so that nobody dials a leaving session.</summary>
        public IAsyncDisposable? Presence { get; set; }

        /// <summary>Why the session stopped: the reason given, or the error that ended it.</summary>
        public string? Reason { get; private set; }

        /// <summary>The error that ended the session on its own, if any.</summary>
        public ChatException? Failure { get; private set; }

        /// <summary>
        /// Stops, once; a later call waits for the first. With <paramref name="sendLeave"/> every member gets a leave
        /// notice carrying <paramref name="reason"/> (none when null); otherwise, with <paramref name="reset"/>, every
        /// link is reset as a crash would.
        /// </summary>
        public async Task RunAsync(string? reason, bool sendLeave, bool reset, ChatException? failure = null)
        {
            if (!_registry.TryBeginStop(out var members, out var pending))
            {
                await _stopped.Task.ConfigureAwait(false);
                return;
            }
            Reason = reason ?? "stopped";
            Failure = failure;
            try
            {
                if (Presence != null) await Presence.DisposeAsync().ConfigureAwait(false);
                _work.Cancel();
                foreach (var source in _sources) source.Dispose();
                foreach (var link in pending) link.Close("session stopping", reset);
                if (sendLeave) await _links.LeaveAsync(members, reason).ConfigureAwait(false);
                else foreach (var member in members) member.Link.Close("session aborted", reset);
                ChatLog.SessionStopped(_log, Reason, null);
            }
            finally
            {
                _registry.MarkStopped();
                _inbox.Complete();
                // The session owns its logger factory: disposing it completes the log file before Stop returns.
                _loggerFactory?.Dispose();
                _stopped.TrySetResult(true);
            }
        }

        /// <summary>
        /// Completes once the session has stopped and every background task has ended. Called from an event handler on
        /// one of the session's tasks, it waits for the stop only: waiting for every task would wait for the handler's own.
        /// </summary>
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            // Asked here, on the caller's thread, before any await moves the rest elsewhere.
            return _work.IsCurrent ? Waiting.UntilAsync(_stopped.Task, cancellationToken) : WaitForAllAsync(cancellationToken);
        }

        private async Task WaitForAllAsync(CancellationToken cancellationToken)
        {
            await Waiting.UntilAsync(_stopped.Task, cancellationToken).ConfigureAwait(false);
            await _work.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
