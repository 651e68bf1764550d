using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using PSGroupChat.Lifecycle;
using PSGroupChat.Logging;
using PSGroupChat.Protocol;
using PSGroupChat.Security;
using PSGroupChat.Transport;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// The handshake (docs/protocol.md): the connection starts (preambles, TLS); both sides send hello; the dialer proves
    /// its key (TLS proved the listener's) and that it holds the secret, and only then the listener proves the secret;
    /// both send intro (names only after the proofs); then the side with the higher peer id says accept; the side with
    /// the lower id, the arbiter for the pair, answers welcome or refuses. One arbiter per pair is what
    /// makes two simultaneous dials end in exactly one link. The registry decides admission; this runs the exchange.
    /// </summary>
    internal sealed class Handshake
    {
        internal static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

        private readonly LocalPeer _self;
        private readonly Authenticator _auth;
        private readonly LinkSecurity _security;
        private readonly KeyTrust _trust;
        private readonly ChatIdentity? _identity;
        private readonly string _ownFingerprint;
        private readonly Func<PeerLink, byte[]?> _ownKey;
        private readonly MemberRegistry _registry;
        private readonly TimeProvider _time;
        private readonly TimeSpan _timeout;
        private readonly TimeSpan _verdictTimeout;
        private readonly ILogger _log;
        private readonly Action<string> _ownNameRefused;
        private readonly BackgroundWork _work;

        public Handshake(LocalPeer self, Authenticator auth, LinkSecurity security, KeyTrust trust, ChatIdentity? identity, MemberRegistry registry,
            ChatSessionOptions options, BackgroundWork work, ILogger log, Action<string> ownNameRefused)
        {
            _security = security;
            _trust = trust;
            _identity = identity;
            _ownFingerprint = identity?.Fingerprint ?? string.Empty;
            var ownKey = security.Encrypted ? identity?.FingerprintBytes : null;
            _ownKey = link => link.Encrypted ? ownKey : null;
            _work = work;
            _self = self;
            _auth = auth;
            _registry = registry;
            _time = options.TimeProvider;
            _timeout = options.HandshakeTimeout;
            // Having accepted, the non-arbiter waits for the verdict the peer timeout longer: see RunAsync.
            _verdictTimeout = options.HandshakeTimeout + options.PeerTimeout;
            _log = log;
            _ownNameRefused = ownNameRefused;
        }

        /// <summary>
        /// Runs the handshake on a pending link whose writer runs; a link that did not become a member is closed and its
        /// buffer given back. A dial for <paramref name="sought"/> links only that member or a new incarnation of it.
        /// </summary>
        public async Task<HandshakeResult> RunAsync(PeerLink link, CancellationToken cancellationToken, SoughtMember? sought = null)
        {
            var result = await ExchangeAsync(link, sought, cancellationToken).ConfigureAwait(false);
            if (!(result is HandshakeResult.Admitted)) link.ReleaseReadBuffer(); // no read is in flight once it ended
            return result;
        }

        private async Task<HandshakeResult> ExchangeAsync(PeerLink link, SoughtMember? sought, CancellationToken cancellationToken)
        {
            var target = Target(link);
            var nonce = Authenticator.NewNonce();
            int expired = 0; // which deadline closed the link: 1 the handshake's, 2 the verdict's
            string? name = null; // the peer's user name, once its hello is in
            using var deadline = _time.CreateCancellationTokenSource(_timeout);
            var closeOnDeadline = deadline.Token.Register(() => { expired = 1; link.Close("handshake timeout"); });
            var closeOnStop = cancellationToken.Register(() => link.Close("session stopping"));
            // Disarmed the moment the last handshake frame is in, before the link can become a member: a deadline that
            // fired later, on a loaded machine, would close a live member's link as a "handshake timeout".
            void Done()
            {
                closeOnDeadline.Dispose();
                closeOnStop.Dispose();
                if (link.IsClosed) throw new System.IO.IOException("the connection closed during the handshake");
            }
            try
            {
                // Preambles and TLS first, under the same deadline: a client that stalls in them is closed like any other.
                await link.OpenAsync(_security, CancellationToken.None).ConfigureAwait(false);
                link.StartWriter();
                _work.Track(link.Writer);
                bool dialed = link.Direction == PeerDirection.Outbound;
                // A closed chat refuses a key it does not trust before it says anything about itself. The dialer has the
                // listener's from TLS; the listener has the dialer's only from its auth, below, and says no more than hello before it.
                if (dialed && Untrusted(link) is HandshakeResult listenerUntrusted) return listenerUntrusted;

                link.TrySend(WireCodec.EncodeHello(_self.PeerId, nonce));
                var hello = CheckHello(link, await ExpectAsync<HelloFrame>(link).ConfigureAwait(false));
                _registry.IdentifyPending(link, hello.PeerId);

                // The dialer proves first; the listener answers with its own proof only once the dialer's checked out, so a
                // stranger who dials gets no proof to test guesses of the secret against.
                // What our proof covers, once the remote key is known: the listener learns the dialer's only from its auth.
                ProofInput Ours() => new ProofInput(dialed, _self.PeerId, hello.PeerId, nonce, hello.Nonce, _ownKey(link), link.RemoteKey);
                if (dialed) link.TrySend(DialerAuth(link, Ours()));
                var auth = await ExpectAsync<AuthFrame>(link).ConfigureAwait(false);
                if (!dialed && link.Encrypted)
                {
                    if (CheckDialerKey(link, auth, new ProofInput(true, hello.PeerId, _self.PeerId, hello.Nonce, nonce, null, _ownKey(link))) is HandshakeResult refused) return refused;
                    if (Untrusted(link) is HandshakeResult dialerUntrusted) return dialerUntrusted;
                }
                else if (auth.Key.Length != 0) throw new WireProtocolException("only a dialer on an encrypted link names its key in its 'auth' frame");
                var theirProof = new ProofInput(!dialed, hello.PeerId, _self.PeerId, hello.Nonce, nonce, link.RemoteKey, _ownKey(link));
                if (!_auth.Verify(auth.Proof, theirProof))
                {
                    if (link.Encrypted) ChatLog.KeyRefused(_log, link.Describe(), "its proof of the shared secret does not match: a wrong secret, or a relay in the middle with keys of its own", null);
                    return Refuse(link, null, new Refusal(RefuseCode.AuthenticationFailed, "authentication failed"));
                }
                if (!dialed) link.TrySend(WireCodec.EncodeAuth(_auth.Prove(Ours())));

                // Names only once the proofs checked: a stranger without the secret learns none.
                link.TrySend(WireCodec.EncodeIntro(_self.UserName, _self.ListenPort, _self.Since));
                var intro = await ExpectAsync<IntroFrame>(link).ConfigureAwait(false);
                PeerRule.Check(hello.PeerId, intro.UserName, "the intro");
                var remote = new PeerIdentity(hello.PeerId, intro.UserName, intro.ListenPort, intro.Since, hello.Nonce);
                name = remote.UserName;
                if (dialed && sought != null && Moved(link, target, sought, remote) is HandshakeResult moved) return moved;

                var changed = _trust.KeyChanged(remote.UserName, link.RemoteKey);
                if (changed != null)
                {
                    // The other side learns only that its key is not the one known for its name; this side's user learns the rest.
                    SendRefusal(link, name, new Refusal(RefuseCode.KeyChanged, $"this member knows the name '{remote.UserName}' by another key"));
                    ChatLog.KeyRefused(_log, link.Describe(name), changed, null);
                    return new HandshakeResult.Refused(new ChatException(ChatErrorCode.KeyRejected, changed + ".", target));
                }

                // Where the peer can be dialed: the address this link reached it on, with the port it listens on. Not the
                // host name we dialed: "localhost" passed on to another machine would point at the wrong peer.
                var endpoint = ChatEndpoint.FromAddress(link.RemoteEndPoint.Address, remote.ListenPort);
                Admission? admission;
                if (_self.IsArbiterFor(remote.PeerId))
                {
                    await ExpectAsync<AcceptFrame>(link).ConfigureAwait(false);
                    Done();
                    // Welcome goes out before the member is visible to senders, so no message can overtake it.
                    admission = _registry.AdmitAsArbiter(remote, link, endpoint, _time.GetUtcNow(), () => link.TrySend(WireCodec.EncodeWelcome()));
                    if (admission.Refusal != null) return Refuse(link, name, admission.Refusal.Value);
                    if (admission.Duplicate)
                    {
                        link.TrySend(WireCodec.EncodeRefuse(RefuseCode.Duplicate, "a link between these peers exists"));
                        // Closed only once the refusal is out: without it the other side sees a dropped connection and
                        // fails its dial, instead of waiting for the link this side keeps.
                        _work.Track(link.CloseGracefullyAsync("duplicate link", DrainTimeout));
                        return new HandshakeResult.Duplicate(remote.PeerId);
                    }
                }
                else
                {
                    var refusal = _registry.CheckAdmission(remote, out var expel);
                    if (refusal != null) return Refuse(link, name, refusal.Value);
                    link.TrySend(WireCodec.EncodeAccept());
                    // Having accepted, this side has committed, and the arbiter may already count the link as a member:
                    // closing on the short deadline now, on a busy machine, would leave it holding a link we dropped.
                    // So its verdict gets the peer timeout on top; one that never comes still ends the wait.
                    closeOnDeadline.Dispose();
                    using var verdict = _time.CreateCancellationTokenSource(_verdictTimeout);
                    using var closeOnVerdict = verdict.Token.Register(() => { expired = 2; link.Close("no verdict on the handshake"); });
                    try
                    {
                        await ExpectAsync<WelcomeFrame>(link).ConfigureAwait(false);
                    }
                    catch (HandshakeRefusedException e) when (e.Code == RefuseCode.Duplicate)
                    {
                        link.Close("duplicate link");
                        return new HandshakeResult.Duplicate(remote.PeerId);
                    }
                    Done();
                    closeOnVerdict.Dispose();
                    admission = _registry.ActivateWelcomed(remote, link, endpoint, _time.GetUtcNow()) ?? throw new OperationCanceledException();
                    admission.Replaced?.Close("replaced by a newer link");
                    admission = admission with { Expel = expel };
                }
                return new HandshakeResult.Admitted(admission.Member!, admission.IsNew, admission.Expel);
            }
            catch (HandshakeRefusedException e)
            {
                link.Close("refused: " + e.Message);
                ChatLog.HandshakeFailed(_log, link.Describe(name), e.Code, e.Message, null);
                if (e.Code == RefuseCode.NameTaken) _ownNameRefused(e.Message);
                return new HandshakeResult.Refused(RefusalError(e.Code, e.Message, target, e));
            }
            catch (ConnectionStartException e) when (Volatile.Read(ref expired) == 0 && !cancellationToken.IsCancellationRequested)
            {
                _work.Track(link.CloseGracefullyAsync(e.Message, DrainTimeout));
                ChatLog.HandshakeFailed(_log, link.Describe(), e.Code, e.Message, null);
                return new HandshakeResult.Failed(new ChatException(ChatErrorCode.HandshakeFailed, e.Message, target, e));
            }
            catch (Exception e) when (e is WireProtocolException || e is System.IO.IOException || e is ConnectionStartException || e is SocketException
                || e is ObjectDisposedException || e is OperationCanceledException || e is ChatException)
            {
                // Which deadline closed the link, if one did: the short one may have passed while the verdict was awaited.
                bool stopping = cancellationToken.IsCancellationRequested;
                string reason = Volatile.Read(ref expired) == 1 ? $"no complete handshake within {_timeout.TotalSeconds:0.#} s"
                    : Volatile.Read(ref expired) == 2 ? $"no verdict on the handshake within {_verdictTimeout.TotalSeconds:0.#} s"
                    : stopping ? "the session is stopping"
                    : e is WireProtocolException ? new LinkClosure(LinkCloseKind.ProtocolViolation, e.Message).ToString()
                    : e is ChatException ? e.Message
                    : "the connection closed during the handshake";
                // Gracefully: a refusal queued just before (wrong version, talking to itself) still reaches the other side.
                _work.Track(link.CloseGracefullyAsync(reason, DrainTimeout));
                ChatLog.HandshakeFailed(_log, link.Describe(name), "failed", reason, null);
                var code = stopping ? ChatErrorCode.SessionStopped : ChatErrorCode.HandshakeFailed;
                return new HandshakeResult.Failed(e as ChatException ?? new ChatException(code, $"The peer at {target} did not complete the handshake: {reason}.", target, e));
            }
            finally
            {
                closeOnDeadline.Dispose();
                closeOnStop.Dispose();
                _registry.RemovePending(link);
            }
        }

        /// <summary>The dialer's auth: its proof of the secret and, on an encrypted link, its key and signature (docs/protocol.md, "Authentication").</summary>
        private byte[] DialerAuth(PeerLink link, ProofInput proof)
        {
            var secret = _auth.Prove(proof);
            if (!link.Encrypted || _identity == null) return WireCodec.EncodeAuth(secret);
            return WireCodec.EncodeAuth(secret, _identity.PublicPoint, KeyProof.Sign(_identity, proof));
        }

        /// <summary>
        /// The listener checks the key the dialer named in its auth, signed over <paramref name="proof"/> (whose prover key
        /// is that key's fingerprint), and records it on the link; null when it holds, else the refusal.
        /// </summary>
        private HandshakeResult? CheckDialerKey(PeerLink link, AuthFrame auth, ProofInput proof)
        {
            if (auth.Key.Length == 0) throw new WireProtocolException("a dialer on an encrypted link must name its key in its 'auth' frame");
            var wrong = KeyProof.Verify(auth.Key, auth.Signature, proof, out var key);
            if (wrong == null)
            {
                link.KeyProven(key);
                return null;
            }
            ChatLog.KeyRefused(_log, link.Describe(), wrong, null);
            return Refuse(link, null, new Refusal(RefuseCode.AuthenticationFailed, "the key proof does not check"));
        }

        /// <summary>A closed chat's refusal of the link's remote key, or null when it is trusted (or the chat is open).</summary>
        private HandshakeResult? Untrusted(PeerLink link)
        {
            var untrusted = _trust.Untrusted(link.RemoteKey, _ownFingerprint);
            if (untrusted == null) return null;
            ChatLog.KeyRefused(_log, link.Describe(), untrusted, null);
            return Refuse(link, null, new Refusal(RefuseCode.UntrustedKey, untrusted));
        }

        private static async Task<T> ExpectAsync<T>(PeerLink link) where T : Frame
        {
            var frame = await link.ReadFrameAsync(CancellationToken.None).ConfigureAwait(false)
                ?? throw new System.IO.IOException("the connection closed during the handshake");
            if (frame is RefuseFrame refuse) throw new HandshakeRefusedException(refuse.Code, refuse.Reason);
            return frame as T ?? throw new WireProtocolException($"expected '{Expected<T>()}' but got '{frame.Name}'");
        }

        private static string Expected<T>() => typeof(T).Name.Substring(0, typeof(T).Name.Length - "Frame".Length).ToLowerInvariant();

        /// <summary>
        /// A dial for a member that reached another peer under another name: the member is gone and its port went to
        /// another session, which a re-dial must not link (two chats would merge through it). Its own user name is the
        /// one thing the other peer is not told. Null when the peer is the member, or a new incarnation of it.
        /// </summary>
        private HandshakeResult? Moved(PeerLink link, object target, SoughtMember sought, PeerIdentity remote)
        {
            if (remote.PeerId == sought.PeerId || ChatLimits.SameName(remote.UserName, sought.UserName)) return null;
            SendRefusal(link, remote.UserName, new Refusal(RefuseCode.WrongPeer, "this dial was for another member, who was at this endpoint"));
            string message = $"{target} answers as '{remote.UserName}' now, not as '{sought.UserName}', who was there: not linked.";
            return new HandshakeResult.Refused(new ChatException(ChatErrorCode.HandshakeFailed, message, target, new MemberMovedException(message)));
        }

        private HelloFrame CheckHello(PeerLink link, HelloFrame hello)
        {
            if (hello.PeerId == _self.PeerId)
            {
                link.TrySend(WireCodec.EncodeRefuse(RefuseCode.Self, "this is the same session"));
                throw new ChatException(ChatErrorCode.InvalidArgument, $"{link.DialedEndpoint?.ToString() ?? "That endpoint"} is this session itself.", Target(link));
            }
            return hello;
        }

        private HandshakeResult Refuse(PeerLink link, string? name, Refusal refusal)
        {
            SendRefusal(link, name, refusal);
            var target = Target(link);
            return new HandshakeResult.Refused(RefusalError(refusal.Code, RemoteText.Printable(refusal.Reason, 200), target, null));
        }

        /// <summary>Tells the other side why, closes the link once that is out, and logs it; for a caller that fails with an error of its own.</summary>
        private void SendRefusal(PeerLink link, string? name, Refusal refusal)
        {
            link.TrySend(WireCodec.EncodeRefuse(refusal.Code, refusal.Reason));
            var closing = _work.Run(() => link.CloseGracefullyAsync("refused: " + refusal.Reason, DrainTimeout));
            ChatLog.HandshakeFailed(_log, link.Describe(name), refusal.Code, refusal.Reason, null);
            // Leave only once the refusal is out: stopping first would cut the link before the other side learns why.
            if (refusal.Code == RefuseCode.NameYielded) _work.Track(closing.ContinueWith(_ => _ownNameRefused(refusal.Reason), TaskScheduler.Default));
        }

        /// <summary>What an error about the link names: the endpoint dialed, or the address an inbound link came from.</summary>
        private static object Target(PeerLink link) => (object?)link.DialedEndpoint ?? link.RemoteEndPoint;

        private static ChatException RefusalError(string code, string reason, object target, Exception? inner) => code switch
        {
            RefuseCode.NameTaken => new ChatException(ChatErrorCode.UserNameTaken, reason, target, inner),
            RefuseCode.NameYielded => new ChatException(ChatErrorCode.UserNameTaken, reason, target, inner),
            RefuseCode.AuthenticationFailed => new ChatException(ChatErrorCode.AuthenticationFailed,
                $"Authentication with {target} failed: the two sides do not hold the same -SharedSecret, or something between them relays the connection with keys of its own.", target, inner),
            RefuseCode.KeyChanged => new ChatException(ChatErrorCode.KeyRejected, $"The peer at {target} refused the link: {reason}.", target, inner),
            RefuseCode.UntrustedKey => new ChatException(ChatErrorCode.KeyRejected, $"The peer at {target} refused the link: {reason}.", target, inner),
            RefuseCode.Self => new ChatException(ChatErrorCode.InvalidArgument, $"{target} is this session itself.", target, inner),
            _ => new ChatException(ChatErrorCode.HandshakeFailed, $"The peer at {target} refused the link: {reason}.", target, inner),
        };
    }
}
