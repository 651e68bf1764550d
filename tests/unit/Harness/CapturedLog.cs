using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>An in-memory logger provider: every event a session logs, with its name and named values, for tests to read.</summary>
    public sealed class CapturedLog : ILoggerProvider, ILoggerFactory
    {
        private readonly ConcurrentQueue<CapturedEvent> _events = new ConcurrentQueue<CapturedEvent>();

        public IReadOnlyList<CapturedEvent> Events => _events.ToArray();

        public IEnumerable<CapturedEvent> Named(string name) => Events.Where(e => e.Name == name);

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void AddProvider(ILoggerProvider provider) { }

        public void Dispose() { }

        private sealed class Logger : ILogger
        {
            private readonly CapturedLog _owner;

            public Logger(CapturedLog owner) => _owner = owner;

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = new Dictionary<string, object?>();
                if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var pair in pairs) values[pair.Key] = pair.Value;
                }
                _owner._events.Enqueue(new CapturedEvent(eventId.Name ?? string.Empty, values, formatter(state, exception)));
            }
        }
    }

    public sealed record CapturedEvent(string Name, IReadOnlyDictionary<string, object?> Values, string Text);
}
