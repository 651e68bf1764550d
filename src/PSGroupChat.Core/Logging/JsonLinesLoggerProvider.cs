using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PSGroupChat.Logging
{
    /// <summary>
    /// Writes one JSON object per line for every event a session logs: <c>time</c>, <c>event</c>, <c>level</c>,
    /// <c>user</c> (the session's user name), then the event's named values (<c>peer</c>, <c>id</c>, <c>seq</c>,
    /// <c>text</c>, <c>reason</c>, …). Lines are buffered and the file is complete once the provider is disposed,
    /// which Stop-ChatPeer does before it returns. Membership events are flushed as they happen.
    /// </summary>
    /// <remarks>
    /// Hand-written rather than taken from a logging library: the file sinks that fit (Serilog's, NLog's) would add
    /// several dlls to a module that shares its process with other modules, for about a hundred lines of code.
    /// </remarks>
    public sealed class JsonLinesLoggerProvider : ILoggerProvider
    {
        private static readonly JsonWriterOptions Options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private readonly object _gate = new object();
        private readonly string _user;
        private readonly Func<DateTimeOffset> _clock;
        private readonly Stream _file;
        private readonly Utf8JsonWriter _writer;
        private bool _disposed;

        /// <summary>Opens (appending to) <paramref name="path"/>, creating its folder when needed.</summary>
        public JsonLinesLoggerProvider(string path, string user, TimeProvider? time = null)
        {
            _user = user;
            var clock = time ?? TimeProvider.System;
            _clock = clock.GetUtcNow;
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
            _writer = new Utf8JsonWriter(_file, Options);
        }

        /// <inheritdoc />
        public ILogger CreateLogger(string categoryName) => new LineLogger(this);

        private void Write<TState>(LogLevel level, EventId eventId, TState state)
        {
            lock (_gate)
            {
                if (_disposed) return;
                _writer.Reset(_file);
                _writer.WriteStartObject();
                _writer.WriteString("time", _clock().UtcDateTime.ToString("O"));
                _writer.WriteString("event", eventId.Name ?? eventId.Id.ToString());
                _writer.WriteString("level", level.ToString());
                _writer.WriteString("user", _user);
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var pair in values)
                    {
                        if (pair.Key == "{OriginalFormat}") continue;
                        switch (pair.Value)
                        {
                            case null: _writer.WriteNull(pair.Key); break;
                            case long l: _writer.WriteNumber(pair.Key, l); break;
                            case int i: _writer.WriteNumber(pair.Key, i); break;
                            case double d: _writer.WriteNumber(pair.Key, d); break;
                            default: _writer.WriteString(pair.Key, pair.Value.ToString()); break;
                        }
                    }
                }
                _writer.WriteEndObject();
                _writer.Flush();
                _file.WriteByte((byte)'\n');
                if (level >= LogLevel.Information) _file.Flush();
            }
        }

        /// <summary>Flushes and closes the file.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
                _writer.Dispose();
                _file.Dispose();
            }
        }

        private sealed class LineLogger : ILogger
        {
            private readonly JsonLinesLoggerProvider _provider;

            public LineLogger(JsonLinesLoggerProvider provider) => _provider = provider;

            public IDisposable BeginScope<TState>(TState state) where TState : notnull => NoScope.Instance;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                _provider.Write(logLevel, eventId, state);
        }
    }
}
