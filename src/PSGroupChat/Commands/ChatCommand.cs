using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using PSGroupChat.Logging;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// What every PSGroupChat cmdlet shares: finding a session when none is given, writing the session's queued log
    /// records to the verbose and debug streams on the pipeline thread (after each record, at the end, and while it
    /// waits), and waiting in a way Ctrl+C can interrupt. Cmdlets override <see cref="ProcessChatRecord"/> and
    /// <see cref="EndChatProcessing"/> and never flush the log themselves.
    /// </summary>
    public abstract class ChatCommand : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private IDisposable? _listening;
        private PipelineLog? _log;
        private bool _verbose;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken PipelineStopping => _stop.Token;

        /// <summary>Cancels any wait in progress.</summary>
        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Runs <see cref="ProcessChatRecord"/>, then writes the log it queued.</summary>
        protected override void ProcessRecord()
        {
            ProcessChatRecord();
            WriteQueuedLog();
        }

        /// <summary>Runs <see cref="EndChatProcessing"/>, then writes what is still queued and stops listening to the log.</summary>
        protected override void EndProcessing()
        {
            EndChatProcessing();
            StopListening();
        }

        /// <summary>The work for one input record.</summary>
        protected virtual void ProcessChatRecord() { }

        /// <summary>The work once every input record was processed.</summary>
        protected virtual void EndChatProcessing() { }

        /// <summary>
        /// <paramref name="session"/> when given, or else the one running session of this runspace; starts passing its
        /// log to the verbose/debug streams. With none or several running, a terminating error says what to pass.
        /// </summary>
        protected ChatSession ResolveSession(ChatSession? session)
        {
            if (session == null)
            {
                var running = SessionRegistry.InCurrentRunspace().Where(s => s.State == ChatSessionState.Running).ToList();
                if (running.Count == 1) session = running[0];
                else if (running.Count == 0) ThrowTerminatingError(ChatErrors.NoSession());
                else ThrowTerminatingError(ChatErrors.SeveralSessions(running));
            }
            ListenTo(session!);
            return session!;
        }

        /// <summary>Starts passing the session's log to the verbose/debug streams, when the caller asked for them.</summary>
        protected void ListenTo(ChatSession session)
        {
            var log = SessionRegistry.LogOf(session);
            if (log == null || log == _log) return;
            StopListening();
            bool debug = WantsStream("Debug", "DebugPreference");
            // PowerShell turns the verbose stream of a cmdlet run with -Debug (and no -Verbose) into a prompt per line,
            // so then every record goes to the debug stream.
            _verbose = MyInvocation.BoundParameters.ContainsKey("Verbose")
                ? WantsStream("Verbose", "VerbosePreference")
                : !MyInvocation.BoundParameters.ContainsKey("Debug") && WantsStream("Verbose", "VerbosePreference");
            var level = debug ? LogLevel.Debug : _verbose ? LogLevel.Information : LogLevel.None;
            if (level == LogLevel.None) return;
            _log = log;
            _listening = log.Listen(level);
        }

        /// <summary>Writes the queued log records. Call only on the pipeline thread.</summary>
        protected internal void WriteQueuedLog()
        {
            if (_log == null) return;
            while (_log.TryDequeue(out var line))
            {
                if (line.Level <= LogLevel.Debug || !_verbose) WriteDebug(line.Text);
                else WriteVerbose(line.Text);
            }
        }

        /// <summary>A task that completes when a log record is queued for this cmdlet (never, when it is not listening).</summary>
        protected Task WhenLogQueuedAsync()
        {
            if (_log == null) return Task.Delay(Timeout.Infinite, PipelineStopping);
            var queued = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Action signal = () => queued.TrySetResult(true);
            _log.LineQueued += signal;
            _ = queued.Task.ContinueWith(_ => _log.LineQueued -= signal, TaskScheduler.Default);
            return queued.Task;
        }

        /// <summary>
        /// Blocks the pipeline thread until one of <paramref name="tasks"/> completes, the timeout passes, or Ctrl+C.
        /// Returns false on timeout or Ctrl+C. Blocking is right here: this thread belongs to the pipeline, not to the network.
        /// </summary>
        protected bool WaitAny(Task[] tasks, TimeSpan timeout)
        {
            try
            {
                return Task.WaitAny(tasks, timeout.Ticks < 0 ? Timeout.Infinite : (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds), PipelineStopping) >= 0;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>Runs an engine call to completion on the pipeline thread, writing its log as it goes; ends early on Ctrl+C.</summary>
        protected internal T Await<T>(Task<T> task)
        {
            Await((Task)task);
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Runs an engine call that returns nothing to completion, writing its log as it goes; ends early on Ctrl+C.</summary>
        protected internal void Await(Task task)
        {
            while (!task.IsCompleted)
            {
                if (!WaitAny(new[] { task, WhenLogQueuedAsync() }, Timeout.InfiniteTimeSpan)) throw new PipelineStoppedException();
                WriteQueuedLog();
            }
            task.GetAwaiter().GetResult();
        }

        private bool WantsStream(string parameter, string preferenceVariable)
        {
            if (MyInvocation.BoundParameters.TryGetValue(parameter, out var value) && value is SwitchParameter s) return s.IsPresent;
            var preference = SessionState.PSVariable.GetValue(preferenceVariable);
            return preference is ActionPreference p && p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore;
        }

        private void StopListening()
        {
            WriteQueuedLog();
            _listening?.Dispose();
            _listening = null;
            _log = null;
        }
    }
}
