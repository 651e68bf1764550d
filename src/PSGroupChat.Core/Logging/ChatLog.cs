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
    
        public static readonly Action<ILogger, string, long, long, long, Exception?> MessagesMissed =
            LoggerMessage.Define<string, long, long, long>(LogLevel.Warning, new EventId(15, nameof(MessagesMissed)),
                "Missed {count} message(s) of {peer} (sequences {from} to {to}): gone from every member's history");

        public static readonly Action<ILogger, string, long, long, string, Exception?> GapSent =
            LoggerMessage.Define<string, long, long, string>(LogLevel.Information, new EventId(16, nameof(GapSent)),
                "Told {remote} that {origin} {from} to {to} are gone from history");

        public static readonly Action<ILogger, string, string, string, Exception?> LinkReplaced =
            LoggerMessage.Define<string, string, string>(LogLevel.Information, new EventId(17, nameof(LinkReplaced)),
                "The link to {peer} ({peerId}) was replaced by a newer one ({remote}); what was in flight is reconciled");

        public static readonly Action<ILogger, string, string, int, double, Exception?> RedialGivenUp =
            LoggerMessage.Define<string, string, int, double>(LogLevel.Information, new EventId(18, nameof(RedialGivenUp)),
                "Gave up re-dialing {peer} at {endpoint} after {attempts} attempts over {hours} h (the re-dial horizon)");

        public static readonly Action<ILogger, string, string, string, Exception?> RedialMoved =
            LoggerMessage.Define<string, string, string>(LogLevel.Information, new EventId(23, nameof(RedialMoved)),
                "Gave up re-dialing {peer} at {endpoint}: {reason}");

        public static readonly Action<ILogger, double, Exception?> ClockJumped =
            LoggerMessage.Define<double>(LogLevel.Information, new EventId(19, nameof(ClockJumped)),
                "This session was not running for {seconds} s (frozen or asleep): every link gets a full peer timeout to be read first");

        public static readonly Action<ILogger, string, int, Exception?> HistoryServed =
            LoggerMessage.Define<string, int>(LogLevel.Information, new EventId(20, nameof(HistoryServed)),
                "Sent {peer} up to {count} messages of history per sender");

        public static readonly Action<ILogger, string, string, Exception?> StaleIncarnationDropped =
            LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(21, nameof(StaleIncarnationDropped)),
                "{peer} is back as a new incarnation; stopped re-dialing the old one ({peerId})");
    
        public static readonly Action<ILogger, string, string, Exception?> StillHeard =
            LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(22, nameof(StillHeard)),
                "Lost the link to {peer} ({peerId}), but its messages still come through other members: not reported as left; re-dialing");
    }
}
