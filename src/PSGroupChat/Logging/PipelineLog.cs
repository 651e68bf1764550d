using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace PSGroupChat.Logging
{
    /// <summary>
    /// Bridges a session's Microsoft.Extensions.Logging records to the verbose and debug streams. Records are logged on
    /// network threads, where no cmdlet may write, so they are queued here and a cmdlet writes them on the pipeline
    /// thread. Nothing is queued unless a cmdlet run with -Verbose or -Debug is listening, so an idle session costs nothing.
    /// </summary>
    internal sealed class PipelineLog : ILoggerProvider
    {
        private const int MaxQueued = 10_000;
        private readonly ConcurrentQueue<LogLine> _lines = new ConcurrentQueue<LogLine>();
        private int _listeners;
        private int _minimumLevel = (int)LogLevel.None;

        /// <summary>Raised (on any thread) after a line is queued, so that a waiting cmdlet can wake and write it.</summary>
        public event Action? LineQueued;

        /// <summary>Starts queueing records at <paramref name="minimum"/> and above until the result is disposed.</summary>
        public IDisposable Listen(LogLevel minimum)
        {
            Interlocked.Increment(ref _listeners);
            int current;
            do current = Volatile.Read(ref _minimumLevel);
            while ((int)minimum < current && Interlocked.CompareExchange(ref _minimumLevel, (int)minimum, current) != current);
            return new Listener(this);
        }

        public bool TryDequeue(out LogLine line) => _lines.TryDequeue(out line);

        public ILogger CreateLogger(string categoryName) => new QueueLogger(this);

        public void Dispose() { }

        private void StopListening()
        {
            if (Interlocked.Decrement(ref _listeners) == 0) Volatile.Write(ref _minimumLevel, (int)LogLevel.None);
        }

        private bool IsEnabled(LogLevel level) => level != LogLevel.None && (int)level >= Volatile.Read(ref _minimumLevel);

        private void Enqueue(LogLevel level, string text)
        {
            if (_lines.Count >= MaxQueued) _lines.TryDequeue(out _);
            _lines.Enqueue(new LogLine(level, text));
            LineQueued?.Invoke();
        }

        private sealed class Listener : IDisposable
        {
            private PipelineLog? _owner;
            public Listener(PipelineLog owner) => _owner = owner;
            public void Dispose() => Interlocked.Exchange(ref _owner, null)?.StopListening();
        }

        private sealed class QueueLogger : ILogger
        {
            private readonly PipelineLog _owner;
            public QueueLogger(PipelineLog owner) => _owner = owner;

            public IDisposable BeginScope<TState>(TState state) where TState : notnull => NoScope.Instance;

            public bool IsEnabled(LogLevel logLevel) => _owner.IsEnabled(logLevel);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!_owner.IsEnabled(logLevel)) return;
                _owner.Enqueue(logLevel, $"[{eventId.Name}] {formatter(state, exception)}");
            }
        }
    }

    /// <summary>One queued log record, already formatted.</summary>
    internal readonly struct LogLine
    {
        public LogLine(LogLevel level, string text)
        {
            Level = level;
            Text = text;
        }

        public LogLevel Level { get; }
        public string Text { get; }
    }
}
