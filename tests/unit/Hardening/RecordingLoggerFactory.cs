using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using PSGroupChat.Tests.Harness;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>One event a session logged, with its named values (the same ones the JSON log writes).</summary>
    public sealed record LoggedEvent(string Event, LogLevel Level, IReadOnlyDictionary<string, string?> Values, string Text)
    {
        public string? this[string name] => Values.TryGetValue(name, out var v) ? v : null;

        public override string ToString() => $"{Event}: {Text}";
    }

    /// <summary>
    /// A logger factory for a session under test: keeps every event in memory so a test can wait for one, and passes
    /// each to any real providers too (e.g. the JSON-lines file). Per-message events are left out unless asked for, so
    /// that background traffic does not fill memory.
    /// </summary>
    public sealed class RecordingLoggerFactory : ILoggerFactory
    {
        private readonly object _gate = new object();
        private readonly List<LoggedEvent> _events = new List<LoggedEvent>();
        private readonly List<ILoggerProvider> _providers;
        private readonly bool _messages;

        public RecordingLoggerFactory(bool recordMessages = false, params ILoggerProvider[] alsoTo)
        {
            _messages = recordMessages;
            _providers = alsoTo.ToList();
        }

        public IReadOnlyList<LoggedEvent> Events { get { lock (_gate) return _events.ToList(); } }

        public IEnumerable<LoggedEvent> Named(string name) => Events.Where(e => e.Event == name);

        /// <summary>How many events have been logged so far; pass it to <see cref="WaitForAsync"/> to look only at later ones.</summary>
        public int Count { get { lock (_gate) return _events.Count; } }

        /// <summary>Waits for an event that matches, among those logged after the first <paramref name="skip"/>, and returns it.</summary>
        public async Task<LoggedEvent> WaitForAsync(Func<LoggedEvent, bool> match, string what, TimeSpan? limit = null, int skip = 0)
        {
            LoggedEvent? found = null;
            await Eventually.True(() => (found = Events.Skip(skip).FirstOrDefault(match)) != null, what + "\nLogged so far:\n" + Describe(), limit);
            return found!;
        }

        public string Describe() => string.Join("\n", Events.TakeLast(30));

        public void AddProvider(ILoggerProvider provider) => _providers.Add(provider);

        public ILogger CreateLogger(string categoryName) => new Recorder(this, _providers.Select(p => p.CreateLogger(categoryName)).ToArray());

        public void Dispose()
        {
            foreach (var provider in _providers) provider.Dispose();
        }

        private void Record(LoggedEvent e)
        {
            lock (_gate) _events.Add(e);
        }

        private sealed class Recorder : ILogger
        {
            private readonly RecordingLoggerFactory _owner;
            private readonly ILogger[] _also;

            public Recorder(RecordingLoggerFactory owner, ILogger[] also)
            {
                _owner = owner;
                _also = also;
            }

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                foreach (var logger in _also) logger.Log(logLevel, eventId, state, exception, formatter);
                string name = eventId.Name ?? eventId.Id.ToString();
                if (!_owner._messages && (name == "MessageSent" || name == "MessageReceived")) return;
                var values = new Dictionary<string, string?>();
                if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var pair in pairs) values[pair.Key] = pair.Value?.ToString();
                }
                _owner.Record(new LoggedEvent(name, logLevel, values, formatter(state, exception)));
            }
        }
    }
}
