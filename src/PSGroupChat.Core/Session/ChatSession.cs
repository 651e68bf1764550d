using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PSGroupChat.Logging;
using PSGroupChat.Membership;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat
{
    /// <summary>
    /// One peer of a chat: it owns the listening socket and one link to every other member (a full mesh, no server),
    /// sends messages to all or some members, and keeps what it receives in a bounded <see cref="Inbox"/>.
    /// Thread-safe: any thread may send, receive or stop.
    /// </summary>
    public sealed partial class ChatSession : IDisposable
    {
        private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

        private readonly object _gate = new object();
        private readonly object _sendGate = new object();
        private readonly ChatSessionOptions _options;
        private readonly TimeProvider _time;
        private readonly ILoggerFactory? _loggerFactory;
        private readonly ILogger _log;
        private readonly Authenticator _auth;
        private readonly ChatListener _listener;
        private readonly MemberTable _members = new MemberTable();
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly TaskCompletionSource<bool> _stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly HeartbeatMonitor _heartbeat;
        private Member[] _linked = Array.Empty<Member>(); // copy-on-write snapshot, so that sending takes no membership lock
        private long _sequence;
        private long _sent;
        private long _received;
        private ChatSessionState _state = ChatSessionState.Running;
        private readonly IPAddress _listenAddress;

        private ChatSession(ChatSessionOptions options, ChatListener listener)
        {
            _options = options;
            _time = options.TimeProvider;
            _loggerFactory = options.LoggerFactory;
            _log = _loggerFactory?.CreateLogger("PSGroupChat") ?? NullLogger.Instance;
            _auth = new Authenticator(options.SharedSecret);
            _listener = listener;
            UserName = options.UserName;
            PeerId = Guid.NewGuid().ToString("N");
            // Read once: a stopped listener reports the port it was asked for, which is 0 for a free one.
            Port = listener.Port;
            _listenAddress = listener.Address;
            StartedAt = _time.GetUtcNow();
            Inbox = new ChatInbox(options.InboxCapacity);
            Inbox.EntryDropped += dropped => ChatLog.InboxOverflow(_log, dropped.Id, Inbox.Dropped, null);
            _heartbeat = new HeartbeatMonitor(_time, options.HeartbeatInterval, OnHeartbeat);
        }

        /// <summary>Starts listening. Throws <see cref="ChatException"/> (InvalidArgument, PortInUse) when it cannot.</summary>
        public static ChatSession Start(ChatSessionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            options.Validate();
            var listener = ChatListener.Start(options.ListenAddress, options.Port);
            var session = new ChatSession(options, listener);
            ChatLog.SessionStarted(session._log, session.PeerId, session.ListenEndpoint, null);
            _ = listener.RunAsync(session.OnAccepted);
            if (options.Room != null) session.Presence = Discovery.RoomPresence.Start(session, options); // LAN discovery (issue 17)
            return session;
        }

        /// <summary>This session's user name, unique in the chat.</summary>
        public string UserName { get; }

        /// <summary>This session's peer id: random, new for every started session.</summary>
        public string PeerId { get; }

        /// <summary>The TCP port the session listens on (the real one when started with port 0).</summary>
        public int Port { get; }

        /// <summary>The local address and port the session listens on, e.g. <c>[::]:49152</c>.</summary>
        public string ListenEndpoint
        {
            get
            {
                var address = _listenAddress;
                return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{Port}" : $"{address}:{Port}";
            }
        }

        /// <summary>When the session started.</summary>
        public DateTimeOffset StartedAt { get; }

        /// <summary>
        /// The start time as the wire's <c>since</c>: microseconds since the Unix epoch, fine enough that two sessions
        /// started one after the other in a script do not tie over a name.
        /// </summary>
        internal long Since => (StartedAt.UtcTicks - DateTimeOffset.FromUnixTimeMilliseconds(0).UtcTicks) / 10;

        /// <summary>Running, Stopping or Stopped.</summary>
        public ChatSessionState State { get { lock (_gate) return _state; } }

        /// <summary>Why the session stopped: the reason given to Stop, or the error that ended it.</summary>
        public string? StopReason { get; private set; }

        /// <summary>The error that ended the session on its own (for example its user name was taken), if any.</summary>
        public ChatException? Failure { get; private set; }

        /// <summary>How many members this session is linked to.</summary>
        public int PeerCount => Volatile.Read(ref _linked).Length;

        /// <summary>How many messages this session has sent.</summary>
        public long MessagesSent => Interlocked.Read(ref _sent);

        /// <summary>How many messages this session has received.</summary>
        public long MessagesReceived => Interlocked.Read(ref _received);

        /// <summary>How many inbox entries were dropped because nobody read them in time.</summary>
        public long MessagesDropped => Inbox.Dropped;

        /// <summary>What this session received, waiting to be read.</summary>
        public ChatInbox Inbox { get; }

        /// <summary>The heartbeat interval the session runs with.</summary>
        public TimeSpan HeartbeatInterval => _options.HeartbeatInterval;

        /// <summary>The peer timeout the session runs with.</summary>
        public TimeSpan PeerTimeout => _options.PeerTimeout;

        /// <summary>The session's room on the LAN (<see cref="ChatSessionOptions.Room"/>), or null when it announces none.</summary>
        public Discovery.RoomPresence? Presence { get; private set; }

        /// <summary>A task that completes once the session has stopped.</summary>
        public Task WhenStopped => _stopped.Task;

        /// <summary>Raised on a network thread for every chat message received. Keep handlers short.</summary>
        public event EventHandler<ChatMessageEventArgs>? MessageReceived;

        /// <summary>Raised on a network thread when a member joins.</summary>
        public event EventHandler<ChatMessageEventArgs>? PeerJoined;

        /// <summary>Raised on a network thread when a member leaves, for whatever reason.</summary>
        public event EventHandler<ChatMessageEventArgs>? PeerLeft;

        /// <summary>A snapshot of the members this session knows: linked ones, and lost ones it is re-dialing.</summary>
        public IReadOnlyList<ChatPeer> GetPeers()
        {
            var now = _time.GetUtcNow();
            var peers = Volatile.Read(ref _linked).Select(m => new ChatPeer(UserName, m.UserName, m.PeerId, m.Endpoint, m.Link.Direction,
                m.Link.ConnectedSince, now - _time.GetElapsedTime(m.Link.LastReceivedTimestamp), PeerState.Connected)).ToList();
            lock (_gate)
            {
                peers.AddRange(_redialing.Values.Select(r => new ChatPeer(UserName, r.UserName, r.PeerId, r.Endpoint, PeerDirection.Outbound,
                    r.LostAt, r.LostAt, PeerState.Reconnecting)));
            }
            return peers;
        }

        /// <summary>The linked member with this user name (case-insensitive), or null.</summary>
        public ChatPeer? FindPeer(string userName) => GetPeers().FirstOrDefault(p => p.State == PeerState.Connected && ChatLimits.SameName(p.UserName, userName));

        /// <summary>
        /// Sends a message to every member, or, with <paramref name="to"/>, to the named members only.
        /// Never blocks on a slow member: each has its own bounded queue.
        /// </summary>
        /// <exception cref="ChatException">SessionStopped, InvalidArgument (text), UnknownRecipient (a name in <paramref name="to"/>).</exception>
        public ChatMessage Send(string text, IReadOnlyCollection<string>? to = null, bool action = false)
        {
            ChatLimits.CheckMessage(text);
            ThrowIfNotRunning();
            bool direct = to != null && to.Count > 0;
            var linked = Volatile.Read(ref _linked);
            Member[] targets = linked;
            string[] recipients = Array.Empty<string>();
            if (direct)
            {
                var chosen = new List<Member>();
                foreach (var name in to!.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    var member = linked.FirstOrDefault(m => ChatLimits.SameName(m.UserName, name))
                        ?? throw new ChatException(ChatErrorCode.UnknownRecipient, $"No member of the chat is named '{name}'.", name);
                    chosen.Add(member);
                }
                targets = chosen.ToArray();
                recipients = chosen.Select(m => m.UserName).ToArray();
            }

            var now = _time.GetUtcNow();
            var message = new ChatMessage(ChatMessageKind.Message, UserName, UserName, PeerId, text)
            {
                Id = Guid.NewGuid().ToString("N"),
                SentAt = now,
                ReceivedAt = now,
                Recipients = recipients,
                IsAction = action,
                IsOwn = true,
            };
            // Sequence numbers are taken and frames queued under one lock, so every member sees them in rising order
            // even when several threads send at once.
            lock (_sendGate)
            {
                message.Sequence = ++_sequence;
                var frame = WireCodec.EncodeMessage(message.Id, message.Sequence, now.ToUnixTimeMilliseconds(), text, recipients, action);
                foreach (var member in targets) member.Link.TrySend(frame);
            }
            Interlocked.Increment(ref _sent);
            if (_log.IsEnabled(LogLevel.Debug)) ChatLog.MessageSent(_log, message.Id, message.Sequence, direct ? string.Join(",", recipients) : "*", text, null);
            Inbox.Add(message);
            return message;
        }

        /// <summary>
        /// Leaves the chat: tells every member (with <paramref name="reason"/>), sends what is queued, closes every link
        /// and the listener, and completes the log. Safe to call more than once; later calls wait for the first.
        /// </summary>
        public Task StopAsync(string? reason = null) => ShutdownAsync(reason ?? "stopped", sendLeave: true, reset: false);

        /// <summary>Ends the session as a crash would: every link is reset and no leave notice is sent. For simulations.</summary>
        public void Abort() => ShutdownAsync("aborted", sendLeave: false, reset: true).GetAwaiter().GetResult();

        /// <summary>Stops the session (see <see cref="StopAsync"/>).</summary>
        public void Dispose() => StopAsync().GetAwaiter().GetResult();

        /// <inheritdoc />
        public override string ToString() => $"{UserName} on port {Port} ({State})";

        private async Task ShutdownAsync(string reason, bool sendLeave, bool reset, ChatException? failure = null)
        {
            Member[] members;
            PeerConnection[] pending;
            lock (_gate)
            {
                if (_state != ChatSessionState.Running) return;
                _state = ChatSessionState.Stopping;
                StopReason = reason;
                Failure = failure;
                members = _members.Snapshot().ToArray();
                pending = _pending.ToArray();
                _redialing.Clear();
            }
            try
            {
                _stopping.Cancel();
                if (Presence != null) await Presence.DisposeAsync().ConfigureAwait(false); // goodbye on the LAN first (issue 17)
                _heartbeat.Dispose();
                _listener.Dispose();
                foreach (var link in pending) link.Close("session stopping", reset);
                if (sendLeave)
                {
                    var leave = WireCodec.EncodeLeave(reason == "stopped" ? null : reason);
                    foreach (var member in members) member.Link.TrySend(leave);
                    await Task.WhenAll(members.Select(m => m.Link.CloseGracefullyAsync("session stopped", DrainTimeout))).ConfigureAwait(false);
                }
                else
                {
                    foreach (var member in members) member.Link.Close("session aborted", reset);
                }
                ChatLog.SessionStopped(_log, reason, null);
            }
            finally
            {
                lock (_gate)
                {
                    _state = ChatSessionState.Stopped;
                    _linked = Array.Empty<Member>();
                }
                Inbox.Complete();
                // The session owns its logger factory: disposing it completes the log file before Stop returns.
                _loggerFactory?.Dispose();
                _stopped.TrySetResult(true);
            }
        }

        private void ThrowIfNotRunning()
        {
            if (State != ChatSessionState.Running)
            {
                throw new ChatException(ChatErrorCode.SessionStopped,
                    $"The chat session of '{UserName}' is stopped ({StopReason}); start a new one with Start-ChatPeer.", this);
            }
        }

        private void RebuildLinked() => Volatile.Write(ref _linked, _members.Snapshot().ToArray());

        private void Raise(EventHandler<ChatMessageEventArgs>? handler, ChatMessage message)
        {
            if (handler == null) return;
            try
            {
                handler(this, new ChatMessageEventArgs(message));
            }
            catch (Exception e)
            {
                // A subscriber's fault must not end the link that happened to deliver the message.
                _log.LogWarning(e, "An event handler threw: {reason}", e.Message);
            }
        }
    }
}
