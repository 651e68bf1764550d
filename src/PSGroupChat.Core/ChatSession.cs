using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PSGroupChat.Delivery;
using PSGroupChat.Lifecycle;
using PSGroupChat.Logging;
using PSGroupChat.Membership;
using PSGroupChat.Security;
using PSGroupChat.Transport;

namespace PSGroupChat
{
    /// <summary>
    /// One peer of a chat: it owns the listening socket and one link to every other member (a full mesh, no server),
    /// sends messages to all or some members, and keeps what it receives in a bounded inbox.
    /// Thread-safe: any thread may send, receive or stop.
    /// </summary>
    public sealed class ChatSession : IDisposable, IAsyncDisposable
    {
        private readonly ChatSessionOptions _options;
        private readonly TimeProvider _time;
        private readonly ILogger _log;
        private readonly ChatListener _listener;
        private readonly BackgroundWork _work = new BackgroundWork();
        private readonly MemberRegistry _registry;
        private readonly MessageRouter _router;
        private readonly MemberLinks _links;
        private readonly Connector _connector;
        private readonly Shutdown _shutdown;

        private ChatSession(ChatSessionOptions options, ChatListener listener, LinkSecurity security, ChatIdentity? identity)
        {
            _options = options;
            _time = options.TimeProvider;
            _log = options.LoggerFactory?.CreateLogger("PSGroupChat") ?? NullLogger.Instance;
            _listener = listener;
            UserName = options.UserName;
            PeerId = Guid.NewGuid().ToString("N");
            // Read once: a stopped listener reports the port it was asked for, which is 0 for a free one.
            Port = listener.Port;
            ListenEndpoint = Listening.Describe(listener.Address, Port);
            StartedAt = _time.GetUtcNow();
            // The start time as the wire's 'since': microseconds since the Unix epoch, fine enough that two sessions
            // started one after the other in a script do not tie over a name.
            var self = new LocalPeer(PeerId, UserName, Port, (StartedAt.UtcTicks - DateTimeOffset.FromUnixTimeMilliseconds(0).UtcTicks) / 10);
            Inbox = new ChatInbox(options.InboxCapacity);
            Inbox.EntryDropped += dropped => ChatLog.InboxOverflow(_log, dropped.Id, Inbox.Dropped, null);

            Connector? connector = null;
            _registry = new MemberRegistry(self, options.MaxMembers, options.MaxPendingHandshakes, () => connector!.DialsInFlight,
                stale => ChatLog.StaleIncarnationDropped(_log, stale.UserName, stale.PeerId, null));
            // Third parties' messages are forwarded once two heartbeats old: by then a member linked to their origin has them.
            var delivery = new DeliveryOptions(new HistoryBound(options.HistoryLimit, options.HistoryAge), 4 * options.MaxMembers,
                TimeSpan.FromTicks(options.HeartbeatInterval.Ticks * 2), options.HistoryWanted,
                options.HistoryCount > 0 ? options.HistoryCount : options.HistoryLimit, options.HistorySpan);
            _router = new MessageRouter(this, self, _registry, Inbox, _work, _time, _log, delivery);
            var redialer = new Redialer(_registry, (endpoint, sought) => connector!.ConnectAsync(endpoint, CancellationToken.None, sought), _work, _time, _log, options.RedialHorizon, options.MaxMembers);
            _links = new MemberLinks(_registry, _router, redialer, _work, _time, _log, OnOwnNameRefused);
            _links.Gossip = new Gossip(PeerId, _registry, redialer, options.MaxMembers, _links.Expel,
                () => OnOwnNameRefused(MemberRegistry.Taken(UserName)));
            Encrypted = security.Encrypted;
            Fingerprint = identity?.Fingerprint;
            var trust = new KeyTrust(options.TrustedPeers, options.KnownPeers);
            var handshake = new Handshake(self, new Authenticator(options.SharedSecret), security, trust, identity, _registry, options, _work, _log, OnOwnNameRefused);
            _connector = connector = new Connector(options, _registry, handshake, _links, _work, _log, Stopped);
            var heartbeat = new HeartbeatMonitor(_time, options.HeartbeatInterval, frozen =>
            {
                if (frozen != null) ChatLog.ClockJumped(_log, frozen.Value.TotalSeconds, null);
                _links.CheckLiveness(options.PeerTimeout, frozen != null);
            });
            _shutdown = new Shutdown(_registry, _links, _work, new IDisposable[] { heartbeat, listener }, Inbox, _log, options.LoggerFactory);
        }

        /// <summary>
        /// Starts listening. Throws <see cref="ChatException"/> when it cannot: InvalidArgument (a bad option), PortInUse,
        /// AddressNotAvailable (the listen address is not one of this computer's).
        /// </summary>
        public static ChatSession Start(ChatSessionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            options.Validate();
            var identity = options.Plaintext ? null : options.Identity ?? ChatIdentity.CreateEphemeral();
            LinkSecurity security;
            try
            {
                security = identity == null ? LinkSecurity.Plaintext : LinkSecurity.Encrypt(identity.Certificate);
            }
            catch (Exception e) when (e is PlatformNotSupportedException || e is System.Security.Cryptography.CryptographicException)
            {
                throw new ChatException(ChatErrorCode.InvalidArgument, $"The TLS certificate of the identity key cannot be made here: {e.Message}", identity, e);
            }
            var session = new ChatSession(options, Listening.Start(options.ListenAddress, options.Port), security, identity);
            ChatLog.SessionStarted(session._log, session.PeerId, session.ListenEndpoint, null);
            session._work.Run(() => session._listener.RunAsync(session._connector.OnAccepted));
            if (options.Room != null) session._shutdown.Presence = session.Presence = Discovery.RoomPresence.Start(session, options);
            return session;
        }

        /// <summary>This session's user name, unique in the chat.</summary>
        public string UserName { get; }

        /// <summary>This session's peer id: random, new for every started session.</summary>
        public string PeerId { get; }

        /// <summary>The TCP port the session listens on (the real one when started with port 0).</summary>
        public int Port { get; }

        /// <summary>The local address and port the session listens on, e.g. <c>[::]:49152</c>.</summary>
        public string ListenEndpoint { get; }

        /// <summary>Whether the session's links run in TLS (the default); false with <see cref="ChatSessionOptions.Plaintext"/>.</summary>
        public bool Encrypted { get; }

        /// <summary>The fingerprint of the identity key this session presents (<c>SHA256:…</c>); null in plaintext.</summary>
        public string? Fingerprint { get; }

        /// <summary>When the session started.</summary>
        public DateTimeOffset StartedAt { get; }

        /// <summary>Running, Stopping or Stopped.</summary>
        public ChatSessionState State => _registry.State;

        /// <summary>Why the session stopped: the reason given to Stop, or the error that ended it.</summary>
        public string? StopReason => _shutdown.Reason;

        /// <summary>The error that ended the session on its own (for example its user name was taken), if any.</summary>
        public ChatException? Failure => _shutdown.Failure;

        /// <summary>How many members this session is linked to.</summary>
        public int PeerCount => _registry.Linked.Length;

        /// <summary>How many messages this session has sent.</summary>
        public long MessagesSent => _router.MessagesSent;

        /// <summary>How many members this session is linked to (the same as <see cref="PeerCount"/>).</summary>
        public int Members => _registry.Linked.Length;

        /// <summary>
        /// True while the session runs with no member linked: what it sends now reaches members only when they link (or
        /// link again) and catch up from its history.
        /// </summary>
        public bool IsAlone => State == ChatSessionState.Running && _registry.Linked.Length == 0;

        /// <summary>How many messages of other members this session gave up on (each with a Missed notice): gone from every history it could ask.</summary>
        public long MessagesMissed => _router.MessagesMissed;

        /// <summary>
        /// True the first time it is asked in each period in which the session is alone (no member linked), so that a
        /// sender can warn once per such period instead of sending into nothing silently.
        /// </summary>
        public bool TakeAloneWarning() => _registry.TakeAloneWarning();

        /// <summary>How many messages this session has received.</summary>
        public long MessagesReceived => _router.MessagesReceived;

        /// <summary>How many inbox entries were dropped because nobody read them in time.</summary>
        public long MessagesDropped => Inbox.Dropped;

        /// <summary>The heartbeat interval the session runs with.</summary>
        public TimeSpan HeartbeatInterval => _options.HeartbeatInterval;

        /// <summary>The peer timeout the session runs with.</summary>
        public TimeSpan PeerTimeout => _options.PeerTimeout;

        /// <summary>The session's room on the LAN (<see cref="ChatSessionOptions.Room"/>), or null when it announces none.</summary>
        public Discovery.RoomPresence? Presence { get; private set; }

        /// <summary>What this session received, waiting to be read (Receive-ChatMessage and the room read it).</summary>
        internal ChatInbox Inbox { get; }

        /// <summary>How many background tasks (accept loop, handshakes, dials, reader loops…) are still running.</summary>
        internal int BackgroundTaskCount => _work.Count;

        /// <summary>How this session's links come to be, for tests that dial as gossip does.</summary>
        internal Membership.Connector Connector => _connector;

        /// <summary>Raised on a network thread for every chat message received. Keep handlers short.</summary>
        public event EventHandler<ChatMessageEventArgs>? MessageReceived { add => _router.MessageReceived += value; remove => _router.MessageReceived -= value; }

        /// <summary>Raised on a network thread when a member joins.</summary>
        public event EventHandler<ChatMessageEventArgs>? PeerJoined { add => _router.PeerJoined += value; remove => _router.PeerJoined -= value; }

        /// <summary>Raised on a network thread when messages of a member were missed (gone from every history this session could ask).</summary>
        public event EventHandler<ChatMessageEventArgs>? MessagesMissedNotice { add => _router.Missed += value; remove => _router.Missed -= value; }

        /// <summary>Raised on a network thread when a member leaves, for whatever reason.</summary>
        public event EventHandler<ChatMessageEventArgs>? PeerLeft { add => _router.PeerLeft += value; remove => _router.PeerLeft -= value; }

        /// <summary>A snapshot of the members this session knows: linked ones, and lost ones it is re-dialing.</summary>
        public IReadOnlyList<ChatPeer> GetPeers()
        {
            var now = _time.GetUtcNow();
            return _registry.Linked.Select(m => PeerView.Linked(UserName, m, now - _time.GetElapsedTime(m.Link.LastReceivedTimestamp)))
                .Concat(_registry.Redialing().Select(r => PeerView.Reconnecting(UserName, r))).ToList();
        }

        /// <summary>The linked member with this user name (case-insensitive), or null.</summary>
        public ChatPeer? FindPeer(string userName) => GetPeers().FirstOrDefault(p => p.State == PeerState.Connected && ChatLimits.SameName(p.UserName, userName));

        /// <summary>
        /// Links to the member at <paramref name="endpoint"/> and returns it once it has joined. Through it, this session
        /// learns every other member and links to them too. Dialing an endpoint that is already being dialed joins that
        /// attempt instead of opening a second connection. Cancelling stops the dial and throws <see cref="OperationCanceledException"/>.
        /// </summary>
        /// <exception cref="ChatException">EndpointUnreachable, UserNameTaken, AuthenticationFailed, HandshakeFailed, SessionStopped.</exception>
        public Task<ChatPeer> ConnectAsync(ChatEndpoint endpoint, CancellationToken cancellationToken = default)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            ThrowIfNotRunning();
            cancellationToken.ThrowIfCancellationRequested();
            return ToPeerAsync(_connector.ConnectAsync(endpoint, cancellationToken), cancellationToken);
        }

        /// <summary>
        /// Sends a message to every member, or, with <paramref name="to"/>, to the named members only.
        /// Never blocks on a slow member: each has its own bounded queue.
        /// </summary>
        /// <exception cref="ChatException">SessionStopped, InvalidArgument (text), UnknownRecipient (a name in <paramref name="to"/>).</exception>
        public ChatMessage Send(string text, IReadOnlyCollection<string>? to = null, bool action = false)
        {
            ChatLimits.CheckMessage(text);
            ThrowIfNotRunning();
            return _router.Send(text, to, action);
        }

        /// <summary>
        /// Leaves the chat: tells every member (with <paramref name="reason"/>), sends what is queued, closes every link
        /// and the listener, waits for every background task, and completes the log. Safe to call more than once; later
        /// calls wait for the first. <paramref name="cancellationToken"/> ends the wait, not the stop.
        /// </summary>
        public Task StopAsync(string? reason = null, CancellationToken cancellationToken = default)
        {
            var waited = _shutdown.WaitAsync(cancellationToken); // decided on this thread: see Shutdown.WaitAsync
            return Task.WhenAll(_shutdown.RunAsync(reason, sendLeave: true, reset: false), waited);
        }

        /// <summary>Completes once the session has stopped and its background tasks have ended, by whatever hand.</summary>
        public Task WaitUntilStoppedAsync(CancellationToken cancellationToken = default) => _shutdown.WaitAsync(cancellationToken);

        /// <summary>Ends the session as a crash would: every link is reset and no leave notice is sent. For simulations.</summary>
        public void Abort()
        {
            var waited = _shutdown.WaitAsync(CancellationToken.None);
            _shutdown.RunAsync("aborted", sendLeave: false, reset: true).GetAwaiter().GetResult();
            waited.GetAwaiter().GetResult();
        }

        /// <summary>Stops the session (see <see cref="StopAsync"/>).</summary>
        public void Dispose() => StopAsync().GetAwaiter().GetResult();

        /// <summary>Stops the session (see <see cref="StopAsync"/>).</summary>
        public ValueTask DisposeAsync() => new ValueTask(StopAsync());

        /// <inheritdoc />
        public override string ToString() => $"{UserName} on port {Port} ({State})";

        private async Task<ChatPeer> ToPeerAsync(Task<Member> dial, CancellationToken cancellationToken)
        {
            // A dial started by someone else (gossip, an earlier call) is not this caller's to stop: only its wait ends.
            await Waiting.UntilAsync(dial, cancellationToken).ConfigureAwait(false);
            var m = await dial.ConfigureAwait(false);
            return PeerView.Linked(UserName, m, m.LinkedSince);
        }

        /// <summary>
        /// This session's user name lost to an earlier claim: every member applies the same rule, so it cannot stay in the
        /// chat under this name, even where other members took it in first.
        /// </summary>
        private void OnOwnNameRefused(string reason) =>
            _work.Run(() => _shutdown.RunAsync(reason, sendLeave: true, reset: false, new ChatException(ChatErrorCode.UserNameTaken, reason, UserName)));

        private void ThrowIfNotRunning()
        {
            if (State != ChatSessionState.Running) throw Stopped();
        }

        private ChatException Stopped() => new ChatException(ChatErrorCode.SessionStopped,
            Failure == null ? $"The chat session of '{UserName}' has stopped." : $"The chat session of '{UserName}' has stopped: {Failure.Message}", this);
    }
}
