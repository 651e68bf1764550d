using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// A session's place in a room on the LAN: it announces the session under the room's key and dials every member it
    /// hears announcing the same key that the session is not yet linked to. An announcement is only a hint: whoever
    /// answers still has to pass the handshake. Dials are bounded (<see cref="MaxDialsAtOnce"/> at once, an endpoint not
    /// again within <see cref="DialBackoff"/>), so a flood of fake announcements costs a few failed connects and no message.
    /// Uses only the session's public surface, so the session knows nothing of multicast.
    /// </summary>
    public sealed class RoomPresence : IAsyncDisposable
    {
        /// <summary>How many announced members are dialed at once; the rest wait for a free slot.</summary>
        public const int MaxDialsAtOnce = 3;

        /// <summary>How long an endpoint is not dialed again after a dial to it started.</summary>
        public static readonly TimeSpan DialBackoff = TimeSpan.FromSeconds(15);

        // Heard announcements wake the dialer at once; the sweep catches those whose back-off ended since.
        private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);
        private const int MaxRemembered = 4 * RoomBrowser.MaxAnnouncements;

        private readonly object _gate = new object();
        private readonly RoomDiscovery? _discovery;
        private readonly TimeProvider _time;
        private readonly string _ownPeerId;
        private readonly Func<IEnumerable<string>> _memberIds;
        private readonly Func<ChatEndpoint, Task> _dial;
        private readonly Dictionary<ChatEndpoint, long> _dialedAt = new Dictionary<ChatEndpoint, long>();
        private readonly HashSet<string> _dialing = new HashSet<string>(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private TaskCompletionSource<bool> _wake = NewWake();
        private Task _dialer = Task.CompletedTask;
        private long _dials;
        private int _disposed;

        private RoomPresence(string room, string roomKey, string? unavailable, RoomDiscovery? discovery, TimeProvider time,
            string ownPeerId, Func<IEnumerable<string>> memberIds, Func<ChatEndpoint, Task> dial)
        {
            Room = room;
            RoomKey = roomKey;
            Unavailable = unavailable;
            _discovery = discovery;
            _time = time;
            _ownPeerId = ownPeerId;
            _memberIds = memberIds;
            _dial = dial;
        }

        /// <summary>The room, as given to <c>-Room</c>.</summary>
        public string Room { get; }

        /// <summary>What is announced for the room: its name in lower case, or with a shared secret an identifier derived from both.</summary>
        public string RoomKey { get; }

        /// <summary>Why the room is not announced on the LAN (no multicast interface, port refused…), or null when it is.</summary>
        public string? Unavailable { get; }

        /// <summary>What went wrong while the announcement was withdrawn, if anything (the session stopped all the same).</summary>
        public Exception? StopFault { get; private set; }

        /// <summary>How many dials the room's announcements have started.</summary>
        public long DialsStarted => Interlocked.Read(ref _dials);

        /// <summary>The members of the room heard on the LAN, this session included once its announcement is back.</summary>
        internal IReadOnlyList<RoomAnnouncement> Heard => _discovery?.Browser.Current.Where(a => a.RoomKey == RoomKey).ToList() ?? new List<RoomAnnouncement>();

        /// <summary>
        /// Puts <paramref name="session"/> in its room (<see cref="ChatSessionOptions.Room"/>) on the interfaces of its listen
        /// address. Never throws for the network: when multicast cannot be used, the presence says why in
        /// <see cref="Unavailable"/> and the session works by address.
        /// </summary>
        public static RoomPresence Start(ChatSession session, ChatSessionOptions options)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            if (options?.Room == null) throw new ArgumentException("The options name no room.", nameof(options));
            IMulticastLink link;
            try
            {
                link = options.MulticastLink?.Invoke(options.ListenAddress) ?? UdpMulticastLink.Open(options.ListenAddress);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                var key = RoomAnnouncement.KeyFor(options.Room, options.SharedSecret);
                return new RoomPresence(options.Room, key, WhyUnavailable(e, options.ListenAddress, session.Port), null, options.TimeProvider,
                    session.PeerId, () => Array.Empty<string>(), _ => Task.CompletedTask);
            }
            return Start(link, options.TimeProvider, options.Room, options.SharedSecret, session.PeerId, session.UserName, session.Port,
                () => session.GetPeers().Select(p => p.PeerId), endpoint => session.ConnectAsync(endpoint));
        }

        /// <summary>Announces a session on <paramref name="link"/> and dials what it hears, through the delegates given.</summary>
        internal static RoomPresence Start(IMulticastLink link, TimeProvider time, string room, byte[]? secret, string ownPeerId, string userName,
            int port, Func<IEnumerable<string>> memberIds, Func<ChatEndpoint, Task> dial)
        {
            var key = RoomAnnouncement.KeyFor(room, secret);
            var announcement = new RoomAnnouncement(key, ownPeerId, secret == null ? userName : null, port, link.Interfaces, secret != null);
            var discovery = RoomDiscovery.Start(link, time, announcement);
            var presence = new RoomPresence(room, key, null, discovery, time, ownPeerId, memberIds, dial);
            discovery.Browser.Heard += presence.OnHeard;
            presence._dialer = presence.DialLoopAsync(presence._stopping.Token);
            return presence;
        }

        private static string WhyUnavailable(Exception e, IPAddress listenAddress, int port)
        {
            return $"The room is not announced on the LAN and no member is found through it: {UdpMulticastLink.WhyNot(e, listenAddress)}. " +
                $"The chat works by address: others join with -Peer <this host>:{port}, and you with -Peer <host>:<port>.";
        }

        private static TaskCompletionSource<bool> NewWake() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private void OnHeard(RoomAnnouncement announcement)
        {
            if (announcement.RoomKey == RoomKey && announcement.PeerId != _ownPeerId) Volatile.Read(ref _wake).TrySetResult(true);
        }

        private async Task DialLoopAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var wake = Volatile.Read(ref _wake).Task;
                using (var sweep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var delay = _time.Delay(SweepInterval, sweep.Token);
                    await Task.WhenAny(wake, delay).ConfigureAwait(false);
                    sweep.Cancel();
                }
                cancellationToken.ThrowIfCancellationRequested();
                // Replaced before the scan, so that an announcement heard during the scan wakes the next one.
                Interlocked.Exchange(ref _wake, NewWake());
                DialWhatIsHeard();
            }
        }

        /// <summary>Starts a dial to each member of the room heard but not linked, as far as the bounds allow.</summary>
        private void DialWhatIsHeard()
        {
            var members = new HashSet<string>(_memberIds(), StringComparer.Ordinal);
            long now = _time.GetTimestamp();
            foreach (var heard in _discovery!.Browser.Current)
            {
                if (heard.RoomKey != RoomKey || heard.PeerId == _ownPeerId || members.Contains(heard.PeerId)) continue;
                var endpoint = Target(heard);
                if (endpoint == null) continue;
                lock (_gate)
                {
                    if (_dialing.Count >= MaxDialsAtOnce) return;
                    if (_dialing.Contains(heard.PeerId)) continue;
                    if (_dialedAt.TryGetValue(endpoint, out var at) && _time.GetElapsedTime(at, now) < DialBackoff) continue;
                    if (_dialedAt.Count >= MaxRemembered) Forget(now);
                    _dialedAt[endpoint] = now;
                    _dialing.Add(heard.PeerId);
                }
                Interlocked.Increment(ref _dials);
                Dial(heard.PeerId, endpoint);
            }
        }

        /// <summary>
        /// Where to dial an announcement: the address it was sent from, when it announces that address. Any other would let
        /// a forged announcement point the room at a host that never asked for it.
        /// </summary>
        private static ChatEndpoint? Target(RoomAnnouncement heard)
        {
            if (heard.Source == null || heard.Port < 1 || !heard.Addresses.Contains(heard.Source)) return null;
            return new ChatEndpoint(heard.Source.ToString(), heard.Port);
        }

        private void Dial(string peerId, ChatEndpoint endpoint)
        {
            Task dial;
            try
            {
                dial = _dial(endpoint);
            }
            catch (Exception e) when (e is ChatException || e is ArgumentException)
            {
                dial = Task.CompletedTask; // the session is stopping: nothing more to dial
            }
            // The dial is the session's own task (it ends when the session stops); the presence only frees the slot.
            _ = dial.ContinueWith(done =>
            {
                _ = done.Exception; // a failed dial is logged by the session; here it only frees the slot
                lock (_gate) _dialing.Remove(peerId);
                Volatile.Read(ref _wake).TrySetResult(true);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>Drops the endpoints whose back-off has ended, then, if still full, all: bounds memory under a flood.</summary>
        private void Forget(long now)
        {
            foreach (var old in _dialedAt.Where(d => _time.GetElapsedTime(d.Value, now) >= DialBackoff).Select(d => d.Key).ToList()) _dialedAt.Remove(old);
            if (_dialedAt.Count >= MaxRemembered) _dialedAt.Clear();
        }

        /// <summary>Stops dialing, withdraws the announcement (goodbye packets) and closes the multicast link.</summary>
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _stopping.Cancel();
            try
            {
                await _dialer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            if (_discovery != null)
            {
                _discovery.Browser.Heard -= OnHeard;
                try
                {
                    await _discovery.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OutOfMemoryException))
                {
                    // The room on the LAN is a courtesy around the chat: its fault must not fail the session's stop.
                    StopFault = e;
                }
            }
            _stopping.Dispose();
        }
    }
}
