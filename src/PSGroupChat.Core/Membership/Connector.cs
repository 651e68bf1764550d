using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using PSGroupChat.Lifecycle;
using PSGroupChat.Logging;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// How links come to be: dialing an endpoint (one attempt per endpoint at a time) and taking accepted sockets, each
    /// through the handshake, up to a member handed to <see cref="MemberLinks"/>.
    /// </summary>
    internal sealed class Connector
    {
        private readonly object _gate = new object();
        private readonly Dictionary<ChatEndpoint, Task<Member>> _dials = new Dictionary<ChatEndpoint, Task<Member>>();
        private readonly ChatSessionOptions _options;
        private readonly LinkOptions _linkOptions;
        private readonly MemberRegistry _registry;
        private readonly Handshake _handshake;
        private readonly MemberLinks _links;
        private readonly BackgroundWork _work;
        private readonly ILogger _log;
        private readonly Func<ChatException> _stopped;

        public Connector(ChatSessionOptions options, MemberRegistry registry, Handshake handshake, MemberLinks links, BackgroundWork work, ILogger log, Func<ChatException> stopped)
        {
            _options = options;
            _linkOptions = new LinkOptions(options.MaxFrameSize, options.SendQueueCapacity, options.SendQueueBytes, options.TimeProvider);
            _dialTurns = options.Plaintext ? PlaintextDials : TlsDials;
            _registry = registry;
            _handshake = handshake;
            _links = links;
            _work = work;
            _log = log;
            _stopped = stopped;
        }

        private int _dialsInFlight;

        // A TLS handshake costs milliseconds of CPU where a plaintext one costs microseconds: a session learning 99 members
        // at once would start 99 of them together, and a whole mesh in one process thousands, none finishing within the
        // handshake deadline. So a process runs a few outbound TLS dials per core at a time, whatever its sessions, and
        // the rest wait their turn: the CPU they share is the process's. Plaintext dials take turns too, many more at
        // once: a 250-peer mesh in six processes started some 5,000 dials in each at once, and they timed out and were
        // tried again for as long as the benchmark waited (1,004 of 62,250 link ends after 45 s; formed in 40 s with turns).
        internal const int TlsDialsPerCore = 4;
        internal const int PlaintextDialsPerCore = 128;
        internal static readonly int ConcurrentTlsDials = TlsDialsPerCore * Environment.ProcessorCount;
        private static readonly SemaphoreSlim TlsDials = new SemaphoreSlim(ConcurrentTlsDials);
        private static readonly SemaphoreSlim PlaintextDials = new SemaphoreSlim(PlaintextDialsPerCore * Environment.ProcessorCount);
        private readonly SemaphoreSlim _dialTurns;

        /// <summary>
        /// The number of dials in flight: they count towards the member limit. Read without this class's lock, because
        /// the registry asks under its own, and this class asks the registry.
        /// </summary>
        public int DialsInFlight => Volatile.Read(ref _dialsInFlight);

        /// <summary>
        /// Links to the member at <paramref name="endpoint"/>; dialing an endpoint that is already being dialed joins that
        /// attempt. Cancelling the token of the caller that started the dial stops it (and fails every caller that joined it).
        /// With <paramref name="sought"/> (a member heard of, or lost), a dial that finds that member linked when its turn
        /// comes ends with it, and one that finds another peer under another name at the endpoint refuses it.
        /// </summary>
        public Task<Member> ConnectAsync(ChatEndpoint endpoint, CancellationToken cancellationToken, SoughtMember? sought = null)
        {
            if (!_registry.IsRunning) throw _stopped();
            lock (_gate)
            {
                if (_dials.TryGetValue(endpoint, out var inFlight)) return inFlight;
                var dial = _work.Run(() => DialAsync(endpoint, sought, cancellationToken));
                if (!dial.IsCompleted)
                {
                    _dials[endpoint] = dial;
                    Interlocked.Increment(ref _dialsInFlight);
                    _work.Track(dial.ContinueWith(_ =>
                    {
                        lock (_gate) _dials.Remove(endpoint);
                        Interlocked.Decrement(ref _dialsInFlight);
                    }, TaskScheduler.Default));
                }
                return dial;
            }
        }

        /// <summary>Takes an accepted socket through its handshake; runs on the accept loop, so it returns at once.</summary>
        public void OnAccepted(Socket socket)
        {
            PeerLink link;
            try
            {
                link = new PeerLink(socket, PeerDirection.Inbound, null, _linkOptions);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                socket.Dispose();
                return;
            }
            ChatLog.ConnectionAccepted(_log, link.RemoteEndPoint.ToString(), null);
            if (!_registry.TryAddPending(link))
            {
                link.Close("too many connections in their handshake");
                ChatLog.HandshakeFailed(_log, link.RemoteEndPoint.ToString(), RefuseCode.Full, "too many connections in their handshake", null);
                return;
            }
            _work.Run(() => EstablishAsync(link, _work.Stopping));
        }

        private async Task<Member> DialAsync(ChatEndpoint endpoint, SoughtMember? sought, CancellationToken cancellationToken)
        {
            await Task.Yield(); // run the dial outside the caller's lock
            using var dial = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _work.Stopping);
            ChatLog.Dialing(_log, endpoint.ToString(), null);
            HandshakeResult result;
            try
            {
                await _dialTurns.WaitAsync(dial.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ChatLog.DialFailed(_log, endpoint.ToString(), "the session is stopping", null);
                throw new ChatException(ChatErrorCode.EndpointUnreachable, $"Cannot reach {endpoint}: the session is stopping.", endpoint);
            }
            // The turn ends once the connection started (preambles, and TLS with its CPU work): the frames after it cost
            // little, and waiting for the other side's verdict need not hold up other dials.
            int turnEnded = 0;
            void EndTurn()
            {
                if (Interlocked.Exchange(ref turnEnded, 1) == 0) _dialTurns.Release();
            }
            try
            {
                // The member may have linked while this dial waited its turn (the other side dialed): no handshake then.
                if (sought != null && _registry.TryGetMember(sought.PeerId, out var linked)) return linked;
                result = await ConnectAndEstablishAsync(endpoint, sought, dial.Token, cancellationToken, EndTurn).ConfigureAwait(false);
            }
            finally
            {
                EndTurn();
            }
            if (!(result is HandshakeResult.Admitted)) cancellationToken.ThrowIfCancellationRequested();
            switch (result)
            {
                case HandshakeResult.Admitted admitted:
                    return admitted.Member;
                case HandshakeResult.Duplicate duplicate:
                    // The other side keeps another link with us (one it dialed, or an earlier one): wait for it to be ours too.
                    return await WaitForMemberAsync(duplicate.PeerId, cancellationToken).ConfigureAwait(false)
                        ?? throw new ChatException(ChatErrorCode.HandshakeFailed, $"The peer at {endpoint} kept another link that did not come up in time.", endpoint);
                case HandshakeResult.Refused refused:
                    ChatLog.DialFailed(_log, endpoint.ToString(), refused.Error.Message, null);
                    throw refused.Error;
                default:
                    var failed = (HandshakeResult.Failed)result;
                    ChatLog.DialFailed(_log, endpoint.ToString(), failed.Error.Message, null);
                    throw failed.Error;
            }
        }

        private async Task<HandshakeResult> ConnectAndEstablishAsync(ChatEndpoint endpoint, SoughtMember? sought, CancellationToken dial, CancellationToken cancellationToken, Action started)
        {
            Socket socket;
            try
            {
                socket = await Dialer.ConnectAsync(endpoint, _options.TimeProvider, _options.HandshakeTimeout, dial).ConfigureAwait(false);
            }
            catch (DialFailedException e)
            {
                ChatLog.DialFailed(_log, endpoint.ToString(), e.Message, null);
                throw new ChatException(ChatErrorCode.EndpointUnreachable, $"Cannot reach {endpoint}: {e.Message}", endpoint, e);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ChatLog.DialFailed(_log, endpoint.ToString(), "the session is stopping", null);
                throw new ChatException(ChatErrorCode.EndpointUnreachable, $"Cannot reach {endpoint}: the session is stopping.", endpoint);
            }

            var link = new PeerLink(socket, PeerDirection.Outbound, endpoint, _linkOptions);
            link.OnStarted(started);
            if (!_registry.TryAddPending(link))
            {
                link.Close("session stopping");
                throw _stopped();
            }
            return await EstablishAsync(link, dial, sought).ConfigureAwait(false);
        }

        // The handshake starts the link's writer once the connection is open (preambles, TLS).
        private async Task<HandshakeResult> EstablishAsync(PeerLink link, CancellationToken cancellationToken, SoughtMember? sought = null)
        {
            var result = await _handshake.RunAsync(link, cancellationToken, sought).ConfigureAwait(false);
            if (result is HandshakeResult.Admitted admitted) _links.OnAdmitted(admitted);
            return result;
        }

        /// <summary>Waits for a member that another link of ours is bringing in; null if it does not come in time.</summary>
        private async Task<Member?> WaitForMemberAsync(string peerId, CancellationToken cancellationToken)
        {
            var arrival = _registry.WhenMember(peerId);
            if (arrival == null) return null;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _work.Stopping);
            // Bounded in real time as well: a test's fake clock may never reach the handshake timeout.
            var limit = Task.WhenAny(_options.TimeProvider.Delay(_options.HandshakeTimeout, wait.Token), Task.Delay(_options.HandshakeTimeout + _options.HandshakeTimeout, wait.Token));
            var first = await Task.WhenAny(arrival, limit).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return first == arrival ? await arrival.ConfigureAwait(false) : null;
        }
    }
}
