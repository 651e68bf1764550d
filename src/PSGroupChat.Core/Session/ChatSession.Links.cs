using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Logging;
using PSGroupChat.Membership;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat
{
    // How links come to be: accepting, dialing, and the handshake that turns a TCP connection into a member.
    public sealed partial class ChatSession
    {
        private const string HandshakeTimedOut = "handshake timeout";
        private const string VerdictTimedOut = "no verdict on the handshake";

        private readonly HashSet<PeerConnection> _pending = new HashSet<PeerConnection>();

        // Counted rather than searched: gossip asks about pending peers once per announced member.
        private readonly Dictionary<string, int> _pendingPeers = new Dictionary<string, int>(StringComparer.Ordinal);
        private int _pendingInbound;
        private readonly Dictionary<ChatEndpoint, Task<ChatPeer>> _dials = new Dictionary<ChatEndpoint, Task<ChatPeer>>();
        private readonly Dictionary<string, TaskCompletionSource<Member>> _memberAwaited = new Dictionary<string, TaskCompletionSource<Member>>(StringComparer.Ordinal);

        /// <summary>
        /// Links to the member at <paramref name="endpoint"/> and returns it once it has joined. Through it, this session
        /// learns every other member and links to them too. Dialing an endpoint that is already being dialed joins that
        /// attempt instead of opening a second connection.
        /// </summary>
        /// <exception cref="ChatException">EndpointUnreachable, UserNameTaken, AuthenticationFailed, HandshakeFailed, SessionStopped.</exception>
        public Task<ChatPeer> ConnectAsync(ChatEndpoint endpoint)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            lock (_gate)
            {
                ThrowIfNotRunningLocked();
                if (_dials.TryGetValue(endpoint, out var inFlight)) return inFlight;
                var dial = DialAsync(endpoint);
                if (!dial.IsCompleted)
                {
                    _dials[endpoint] = dial;
                    _ = dial.ContinueWith(_ => { lock (_gate) _dials.Remove(endpoint); }, TaskScheduler.Default);
                }
                return dial;
            }
        }

        private void ThrowIfNotRunningLocked()
        {
            if (_state != ChatSessionState.Running)
                throw new ChatException(ChatErrorCode.SessionStopped, $"The chat session of '{UserName}' is stopped ({StopReason}).", this);
        }

        private async Task<ChatPeer> DialAsync(ChatEndpoint endpoint)
        {
            await Task.Yield(); // run the dial outside the caller's lock
            ChatLog.Dialing(_log, endpoint.ToString(), null);
            Socket socket;
            try
            {
                socket = await OpenSocketAsync(endpoint).ConfigureAwait(false);
            }
            catch (ChatException e)
            {
                ChatLog.DialFailed(_log, endpoint.ToString(), e.Message, null);
                throw;
            }

            var link = new PeerConnection(socket, PeerDirection.Outbound, endpoint, _options);
            if (!TryAddPending(link)) throw new ChatException(ChatErrorCode.SessionStopped, $"The chat session of '{UserName}' is stopping.", this);
            var outcome = await EstablishOrReleaseAsync(link).ConfigureAwait(false);
            if (outcome.Member != null) return ToPeer(outcome.Member);
            if (outcome.DuplicateOf != null)
            {
                // The other side keeps another link with us (one it dialed, or an earlier one): wait for it to be ours too.
                var member = await WaitForMemberAsync(outcome.DuplicateOf).ConfigureAwait(false);
                if (member != null) return ToPeer(member);
                throw new ChatException(ChatErrorCode.HandshakeFailed, $"The peer at {endpoint} kept another link that did not come up in time.", endpoint);
            }
            ChatLog.DialFailed(_log, endpoint.ToString(), outcome.Error!.Message, null);
            throw outcome.Error!;
        }

        private async Task<Socket> OpenSocketAsync(ChatEndpoint endpoint)
        {
            IPAddress[] addresses;
            try
            {
                addresses = IPAddress.TryParse(endpoint.Host, out var literal)
                    ? new[] { literal }
                    : await Dns.GetHostAddressesAsync(endpoint.Host).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new ChatException(ChatErrorCode.EndpointUnreachable, $"Cannot reach {endpoint}: the host name '{endpoint.Host}' does not resolve ({e.Message}).", endpoint, e);
            }

            Exception? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                using var deadline = _time.CreateCancellationTokenSource(_options.HandshakeTimeout);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _stopping.Token);
                using (linked.Token.Register(socket.Dispose))
                {
                    try
                    {
                        await socket.ConnectAsync(address, endpoint.Port).ConfigureAwait(false);
                        return socket;
                    }
                    catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                    {
                        socket.Dispose();
                        last = deadline.IsCancellationRequested ? new TimeoutException($"no answer within {_options.HandshakeTimeout.TotalSeconds:0.#} s") : e;
                        if (_stopping.IsCancellationRequested) break;
                    }
                }
            }
            throw new ChatException(ChatErrorCode.EndpointUnreachable, $"Cannot reach {endpoint}: {last?.Message}", endpoint, last);
        }

        private void OnAccepted(Socket socket)
        {
            PeerConnection link;
            try
            {
                link = new PeerConnection(socket, PeerDirection.Inbound, null, _options);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                socket.Dispose();
                return;
            }
            ChatLog.ConnectionAccepted(_log, link.RemoteEndPoint.ToString(), null);
            if (!TryAddPending(link))
            {
                link.Close("too many connections in their handshake");
                ChatLog.HandshakeFailed(_log, link.RemoteEndPoint.ToString(), RefuseCode.Full, "too many connections in their handshake", null);
                return;
            }
            _ = EstablishOrReleaseAsync(link);
        }

        private bool TryAddPending(PeerConnection link)
        {
            lock (_gate)
            {
                if (_state != ChatSessionState.Running) return false;
                if (link.Direction == PeerDirection.Inbound)
                {
                    if (_pendingInbound >= _options.MaxPendingHandshakes) return false;
                    _pendingInbound++;
                }
                _pending.Add(link);
                return true;
            }
        }

        /// <summary>The outcome of one handshake: a member, a duplicate of a link the other side keeps, or an error.</summary>
        private readonly struct LinkOutcome
        {
            public LinkOutcome(Member? member, string? duplicateOf, ChatException? error)
            {
                Member = member;
                DuplicateOf = duplicateOf;
                Error = error;
            }

            public Member? Member { get; }
            public string? DuplicateOf { get; }
            public ChatException? Error { get; }
        }

        /// <summary>
        /// The handshake (docs/protocol.md): both sides send hello, then auth; the side with the higher peer id says
        /// accept; the side with the lower id, the arbiter for the pair, answers welcome or refuses. One arbiter per pair
        /// is what makes two simultaneous dials end in exactly one link.
        /// </summary>
        private async Task<LinkOutcome> EstablishAsync(PeerConnection link)
        {
            var target = (object?)link.DialedEndpoint ?? link.RemoteEndPoint;
            using var deadline = _time.CreateCancellationTokenSource(_options.HandshakeTimeout);
            var closeOnDeadline = deadline.Token.Register(() => link.Close(HandshakeTimedOut));
            var closeOnStop = _stopping.Token.Register(() => link.Close("session stopping"));
            // Disarmed the moment the last handshake frame is in, before the link can become a member: a deadline that
            // fired later, on a loaded machine, would close a live member's link as a "handshake timeout".
            void HandshakeDone()
            {
                closeOnDeadline.Dispose();
                closeOnStop.Dispose();
                if (link.IsClosed) throw new System.IO.IOException("the connection closed during the handshake");
            }
            try
            {
                link.StartWriter();
                link.TrySend(WireCodec.EncodeHello(PeerId, UserName, Port, Since, link.LocalNonce));

                var hello = await ExpectAsync(link, FrameType.Hello).ConfigureAwait(false);
                var remote = CheckHello(link, hello);
                lock (_gate)
                {
                    link.Remote = remote;
                    _pendingPeers[remote.PeerId] = _pendingPeers.TryGetValue(remote.PeerId, out int count) ? count + 1 : 1;
                }
                link.TrySend(WireCodec.EncodeAuth(_auth.Prove(PeerId, remote.PeerId, link.LocalNonce, remote.Nonce)));

                var auth = await ExpectAsync(link, FrameType.Auth).ConfigureAwait(false);
                if (!_auth.Verify(auth.Proof, remote.PeerId, PeerId, remote.Nonce, link.LocalNonce))
                {
                    return Refuse(link, RefuseCode.AuthenticationFailed, "authentication failed");
                }

                Member? member;
                Member? expel = null;
                bool isNew;
                if (MemberTable.IsArbiter(PeerId, remote.PeerId))
                {
                    await ExpectAsync(link, FrameType.Accept).ConfigureAwait(false);
                    HandshakeDone();
                    lock (_gate)
                    {
                        var problem = AdmissionProblem(remote, out expel);
                        if (problem != null) return Refuse(link, problem.Value.Code, problem.Value.Reason);
                        if (_members.TryGet(remote.PeerId, out var existing) && !existing.Link.IsClosed)
                        {
                            link.TrySend(WireCodec.EncodeRefuse(RefuseCode.Duplicate, "a link between these peers exists"));
                            // Closed only once the refusal is out: without it the other side sees a dropped connection and
                            // fails its dial, instead of waiting for the link this side keeps.
                            _ = link.CloseGracefullyAsync("duplicate link", DrainTimeout);
                            return new LinkOutcome(null, remote.PeerId, null);
                        }
                        // Welcome goes out before the member is visible to senders, so no message can overtake it.
                        link.TrySend(WireCodec.EncodeWelcome());
                        member = ActivateLocked(link, remote, out isNew, out _);
                    }
                }
                else
                {
                    lock (_gate)
                    {
                        var problem = AdmissionProblem(remote, out expel);
                        if (problem != null) return Refuse(link, problem.Value.Code, problem.Value.Reason);
                    }
                    link.TrySend(WireCodec.EncodeAccept());
                    // Having accepted, this side has committed, and the arbiter may already count the link as a member:
                    // closing on the short deadline now, on a busy machine, would leave it holding a link we dropped.
                    // So its verdict gets the peer timeout on top; one that never comes still ends the wait.
                    closeOnDeadline.Dispose();
                    using var verdict = _time.CreateCancellationTokenSource(_options.HandshakeTimeout + _options.PeerTimeout);
                    using var closeOnVerdictDeadline = verdict.Token.Register(() => link.Close(VerdictTimedOut));
                    try
                    {
                        await ExpectAsync(link, FrameType.Welcome).ConfigureAwait(false);
                    }
                    catch (HandshakeRefusedException e) when (e.Code == RefuseCode.Duplicate)
                    {
                        link.Close("duplicate link");
                        return new LinkOutcome(null, remote.PeerId, null);
                    }
                    HandshakeDone();
                    closeOnVerdictDeadline.Dispose();
                    lock (_gate)
                    {
                        if (_state != ChatSessionState.Running) throw new OperationCanceledException();
                        member = ActivateLocked(link, remote, out isNew, out var replaced);
                        replaced?.Close("replaced by a newer link");
                    }
                }

                if (expel != null) Expel(expel);
                OnActivated(member, link, isNew);
                return new LinkOutcome(member, null, null);
            }
            catch (HandshakeRefusedException e)
            {
                link.Close("refused: " + e.Message);
                ChatLog.HandshakeFailed(_log, link.Describe(), e.Code, e.Message, null);
                if (e.Code == RefuseCode.NameTaken) OnOwnNameRefused(e.Message);
                return new LinkOutcome(null, null, RefusalError(e, target));
            }
            catch (Exception e) when (e is WireProtocolException || e is System.IO.IOException || e is SocketException
                || e is ObjectDisposedException || e is OperationCanceledException || e is ChatException)
            {
                // Which deadline closed the link, if one did: the short one may have passed while the verdict was awaited.
                string? closedBy = link.CloseReason;
                string reason = closedBy == HandshakeTimedOut ? $"no complete handshake within {_options.HandshakeTimeout.TotalSeconds:0.#} s"
                    : closedBy == VerdictTimedOut ? $"no verdict on the handshake within {(_options.HandshakeTimeout + _options.PeerTimeout).TotalSeconds:0.#} s"
                    : _stopping.IsCancellationRequested ? "the session is stopping"
                    : e is WireProtocolException ? PeerConnection.ProtocolViolation + e.Message
                    : e is ChatException ? e.Message
                    : "the connection closed during the handshake";
                // Gracefully: a refusal queued just before (wrong version, talking to itself) still reaches the other side.
                _ = link.CloseGracefullyAsync(reason, DrainTimeout);
                ChatLog.HandshakeFailed(_log, link.Describe(), "failed", reason, null);
                var code = _stopping.IsCancellationRequested ? ChatErrorCode.SessionStopped : ChatErrorCode.HandshakeFailed;
                return new LinkOutcome(null, null, e as ChatException ?? new ChatException(code, $"The peer at {target} did not complete the handshake: {reason}.", target, e));
            }
            finally
            {
                closeOnDeadline.Dispose();
                closeOnStop.Dispose();
                lock (_gate) RemovePendingLocked(link);
            }
        }

        private void RemovePendingLocked(PeerConnection link)
        {
            if (!_pending.Remove(link)) return;
            if (link.Direction == PeerDirection.Inbound) _pendingInbound--;
            if (link.Remote != null && _pendingPeers.TryGetValue(link.Remote.PeerId, out int count))
            {
                if (count > 1) _pendingPeers[link.Remote.PeerId] = count - 1;
                else _pendingPeers.Remove(link.Remote.PeerId);
            }
        }

        /// <summary>Runs the handshake; a link that did not become a member gives its read buffer back (no read is in flight then).</summary>
        private async Task<LinkOutcome> EstablishOrReleaseAsync(PeerConnection link)
        {
            var outcome = await EstablishAsync(link).ConfigureAwait(false);
            if (outcome.Member == null) link.ReleaseReadBuffer();
            return outcome;
        }

        private static async Task<WireFrame> ExpectAsync(PeerConnection link, FrameType expected)
        {
            var frame = await link.ReadFrameAsync(CancellationToken.None).ConfigureAwait(false)
                ?? throw new System.IO.IOException("the connection closed during the handshake");
            if (frame.Type == FrameType.Refuse) throw new HandshakeRefusedException(frame.Code, frame.Reason ?? frame.Code);
            if (frame.Type != expected)
                throw new WireProtocolException($"expected '{expected.ToString().ToLowerInvariant()}' but got '{frame.Type.ToString().ToLowerInvariant()}'");
            return frame;
        }

        private PeerIdentity CheckHello(PeerConnection link, WireFrame hello)
        {
            if (hello.Version != WireCodec.ProtocolVersion)
            {
                link.TrySend(WireCodec.EncodeRefuse(RefuseCode.Version, $"protocol version {WireCodec.ProtocolVersion} is required"));
                throw new ChatException(ChatErrorCode.HandshakeFailed, $"The peer speaks protocol version {hello.Version}; this one speaks {WireCodec.ProtocolVersion}.", link.RemoteEndPoint);
            }
            if (!ChatLimits.IsPeerId(hello.PeerId)) throw new WireProtocolException($"the peer id must be 1 to {ChatLimits.MaxPeerIdLength} characters");
            var nameProblem = ChatLimits.UserNameProblem(hello.UserName);
            if (nameProblem != null) throw new WireProtocolException("bad user name: " + nameProblem);
            if (hello.PeerId == PeerId)
            {
                link.TrySend(WireCodec.EncodeRefuse(RefuseCode.Self, "this is the same session"));
                throw new ChatException(ChatErrorCode.InvalidArgument, $"{link.DialedEndpoint?.ToString() ?? "That endpoint"} is this session itself.", link.DialedEndpoint);
            }
            return new PeerIdentity(hello.PeerId, hello.UserName, hello.ListenPort, hello.Since, hello.Nonce);
        }

        /// <summary>Why this session will not take the remote peer as a member, or null; also names a member to expel.</summary>
        private (string Code, string Reason)? AdmissionProblem(PeerIdentity remote, out Member? expel)
        {
            expel = null;
            if (_state != ChatSessionState.Running) return (RefuseCode.Stopping, "the session is stopping");
            if (ChatLimits.SameName(remote.UserName, UserName))
            {
                // Both claim one name: the same rule as for any two members decides, so an established member is never
                // pushed out by a newcomer that happens to reach it first.
                return MemberTable.Precedes(Since, PeerId, remote.Since, remote.PeerId)
                    ? (RefuseCode.NameTaken, $"The user name '{remote.UserName}' is already in use in the chat.")
                    : (RefuseCode.NameYielded, $"The user name '{UserName}' is already in use in the chat.");
            }
            var holder = _members.FindByName(remote.UserName);
            if (holder != null && holder.PeerId != remote.PeerId)
            {
                if (MemberTable.Precedes(holder.Identity.Since, holder.PeerId, remote.Since, remote.PeerId))
                    return (RefuseCode.NameTaken, $"The user name '{remote.UserName}' is already in use in the chat.");
                expel = holder;
            }
            if (!_members.TryGet(remote.PeerId, out _) && _members.Count >= _options.MaxMembers)
                return (RefuseCode.Full, $"the session already has its maximum of {_options.MaxMembers} members");
            return null;
        }

        private LinkOutcome Refuse(PeerConnection link, string code, string reason)
        {
            link.TrySend(WireCodec.EncodeRefuse(code, reason));
            var closing = link.CloseGracefullyAsync("refused: " + reason, DrainTimeout);
            ChatLog.HandshakeFailed(_log, link.Describe(), code, reason, null);
            // Leave only once the refusal is out: stopping first would cut the link before the other side learns why.
            if (code == RefuseCode.NameYielded) _ = closing.ContinueWith(_ => OnOwnNameRefused(reason), TaskScheduler.Default);
            var target = (object?)link.DialedEndpoint ?? link.RemoteEndPoint;
            return new LinkOutcome(null, null, RefusalError(new HandshakeRefusedException(code, reason), target));
        }

        private static ChatException RefusalError(HandshakeRefusedException e, object target) => e.Code switch
        {
            RefuseCode.NameTaken => new ChatException(ChatErrorCode.UserNameTaken, e.Message, target, e),
            RefuseCode.NameYielded => new ChatException(ChatErrorCode.UserNameTaken, e.Message, target, e),
            RefuseCode.AuthenticationFailed => new ChatException(ChatErrorCode.AuthenticationFailed, $"Authentication with {target} failed.", target, e),
            RefuseCode.Self => new ChatException(ChatErrorCode.InvalidArgument, $"{target} is this session itself.", target, e),
            _ => new ChatException(ChatErrorCode.HandshakeFailed, $"The peer at {target} refused the link: {e.Message}.", target, e),
        };

        /// <summary>Makes the link the member's one live link. Returns the member; <paramref name="replaced"/> is its previous link.</summary>
        private Member ActivateLocked(PeerConnection link, PeerIdentity remote, out bool isNew, out PeerConnection? replaced)
        {
            replaced = null;
            isNew = false;
            link.ConnectedSince = _time.GetUtcNow();
            if (_members.TryGet(remote.PeerId, out var existing))
            {
                // The arbiter has chosen this link (the old one was half-open on our side): swap it in without notices.
                replaced = existing.Link;
                existing.Link = link;
                RebuildLinked();
                return existing;
            }
            var member = new Member(remote, link, link.RemoteListenEndpoint, link.ConnectedSince);
            isNew = true;
            _members.Add(member);
            _redialing.Remove(remote.PeerId);
            _departed.Remove(remote.PeerId);
            RebuildLinked();
            if (_memberAwaited.TryGetValue(remote.PeerId, out var awaited))
            {
                _memberAwaited.Remove(remote.PeerId);
                awaited.TrySetResult(member);
            }
            return member;
        }

        /// <summary>Waits for a member that another link of ours is bringing in; null if it does not come in time.</summary>
        private async Task<Member?> WaitForMemberAsync(string peerId)
        {
            Task<Member> arrival;
            lock (_gate)
            {
                if (_members.TryGet(peerId, out var member)) return member;
                if (_state != ChatSessionState.Running) return null;
                if (!_memberAwaited.TryGetValue(peerId, out var awaited))
                {
                    _memberAwaited[peerId] = awaited = new TaskCompletionSource<Member>(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                arrival = awaited.Task;
            }
            // Bounded in real time as well: a test's fake clock may never reach the handshake timeout.
            var limit = Task.WhenAny(_time.Delay(_options.HandshakeTimeout, _stopping.Token), Task.Delay(_options.HandshakeTimeout + _options.HandshakeTimeout));
            var first = await Task.WhenAny(arrival, limit).ConfigureAwait(false);
            return first == arrival ? await arrival.ConfigureAwait(false) : null;
        }

        private ChatPeer ToPeer(Member m) => new ChatPeer(UserName, m.UserName, m.PeerId, m.Endpoint, m.Link.Direction,
            m.Link.ConnectedSince, m.Link.ConnectedSince, PeerState.Connected);
    }
}
