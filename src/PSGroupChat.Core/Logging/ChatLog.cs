using System;
using Microsoft.Extensions.Logging;

namespace PSGroupChat.Logging
{
    /// <summary>
    /// Every event a session logs, with a stable name (the JSON log's "event" field) and named values (its other fields).
    /// Connects, joins and leaves are Information, so -Verbose shows them; each message is Debug, so only -Debug or a log
    /// file sees it, and a session with neither pays only an IsEnabled check per message.
    /// </summary>
    internal static class ChatLog
    {
        public static readonly Action<ILogger, string, string, Exception?> SessionStarted =
            LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(1, nameof(SessionStarted)),
                "Session {peerId} listening on {endpoint}");

        public static readonly Action<ILogger, string, Exception?> SessionStopped =
            LoggerMessage.Define<string>(LogLevel.Information, new EventId(2, nameof(SessionStopped)), "Session stopped: {reason}");

        public static readonly Action<ILogger, string, Exception?> Dialing =
            LoggerMessage.Define<string>(LogLevel.Information, new EventId(3, nameof(Dialing)), "Dialing {endpoint}");

        public static readonly Action<ILogger, string, string, Exception?> DialFailed =
            LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(4, nameof(DialFailed)), "Dialing {endpoint} failed: {reason}");

        public static readonly Action<ILogger, string, Exception?> ConnectionAccepted =
            LoggerMessage.Define<string>(LogLevel.Debug, new EventId(5, nameof(ConnectionAccepted)), "Accepted a connection from {remote}");

        /// <summary>A link refused for its key: untrusted in a closed chat, changed under a known name, or a proof that binds other keys (a relay).</summary>
        public static readonly Action<ILogger, string, string, Exception?> KeyRefused =
            LoggerMessage.Define<string, string>(LogLevel.Warning, new EventId(40, nameof(KeyRefused)), "Refused {remote} for its key: {reason}");

        public static readonly Action<ILogger, string, string, string, Exception?> HandshakeFailed =
            LoggerMessage.Define<string, string, string>(LogLevel.Information, new EventId(6, nameof(HandshakeFailed)),
                "Handshake with {remote} failed ({code}): {reason}");

        public static readonly Action<ILogger, string, string, string, Exception?> PeerJoined =
            LoggerMessage.Define<string, string, string>(LogLevel.Information, new EventId(7, nameof(PeerJoined)),
                "{peer} joined ({peerId} at {endpoint})");

        public static readonly Action<ILogger, string, string, string, Exception?> PeerLeft =
            LoggerMessage.Define<string, string, string>(LogLevel.Information, new EventId(8, nameof(PeerLeft)),
                "{peer} left ({reason}) {text}");

        public static readonly Action<ILogger, string, long, string, string, Exception?> MessageSent =
            LoggerMessage.Define<string, long, string, string>(LogLevel.Debug, new EventId(9, nameof(MessageSent)),
                "Sent {id} #{seq} to {to}: {text}");

        public static readonly Action<ILogger, string, string, long, string, Exception?> MessageReceived =
            LoggerMessage.Define<string, string, long, string>(LogLevel.Debug, new EventId(10, nameof(MessageReceived)),
                "Received from {peer} {id} #{seq}: {text}");

        public static readonly Action<ILogger, string, long, Exception?> InboxOverflow =
            LoggerMessage.Define<string, long>(LogLevel.Information, new EventId(11, nameof(InboxOverflow)),
                "Inbox full: dropped the oldest entry {id} ({dropped} dropped so far)");

        public static readonly Action<ILogger, string, string, Exception?> ConnectionClosed =
            LoggerMessage.Define<string, string>(LogLevel.Debug, new EventId(12, nameof(ConnectionClosed)),
                "Connection to {remote} closed: {reason}");

        public static readonly Action<ILogger, string, string, int, double, Exception?> Redialing =
            LoggerMessage.Define<string, string, int, double>(LogLevel.Information, new EventId(13, nameof(Redialing)),
                "Re-dialing {peer} at {endpoint}: attempt {attempt} in {delaySeconds} s");

        public static readonly Action<ILogger, string, string, Exception?> NameConflict =
            LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(14, nameof(NameConflict)),
                "Two members claim the name {peer}; {peerId} must leave");
    }
}
