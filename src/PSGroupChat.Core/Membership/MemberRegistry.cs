using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// Who is in the chat, under the session's one lock. A peer id is in at most one of: a member, a lost member being
    /// re-dialed, or departed for good (leave notice or name conflict); only the operations here move it between them,
    /// each in one step. Links still in their handshake are counted here too (by direction for the quota, by peer id for
    /// gossip), as is the session's state, since every decision here depends on it.
    /// </summary>
    internal sealed class MemberRegistry
    {
        private readonly object _gate = new object();
        private readonly LocalPeer _self;
        private readonly int _maxMembers;
        private readonly int _maxPendingHandshakes;
        private readonly MemberTable _members = new MemberTable();
        private readonly Dictionary<string, LostMember> _redialing = new Dictionary<string, LostMember>(StringComparer.Ordinal);
        private readonly HashSet<string> _departed = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<PeerLink> _pending = new HashSet<PeerLink>();
        private readonly Dictionary<PeerLink, string> _pendingIds = new Dictionary<PeerLink, string>();
        // Counted rather than searched: gossip asks about pending peers once per announced member.
        private readonly Dictionary<string, int> _pendingPeers = new Dictionary<string, int>(StringComparer.Ordinal);
        private int _pendingInbound;
        private ChatSessionState _state = ChatSessionState.Running;
        private Member[] _linked = Array.Empty<Member>(); // copy-on-write, so that sending takes no lock

        // Names of peers heard of (linked, announced, lost), so that a message forwarded from a member not linked to this
        // session is shown under its name. Bounded: forgotten wholesale when full, then learned again from the next lists.
        private readonly Dictionary<string, string> _knownNames = new Dictionary<string, string>(StringComparer.Ordinal);
        private bool _aloneWarned;

        private readonly Dictionary<string, TaskCompletionSource<Member>> _awaited = new Dictionary<string, TaskCompletionSource<Member>>(StringComparer.Ordinal);
        private readonly Func<int> _dialsInFlight;

        private readonly Action<LostMember> _staleDropped;

        public MemberRegistry(LocalPeer self, int maxMembers, int maxPendingHandshakes, Func<int> dialsInFlight, Action<LostMember>? staleDropped = null)
        {
            _staleDropped = staleDropped ?? (_ => { });
            _self = self;
            _maxMembers = maxMembers;
            _maxPendingHandshakes = maxPendingHandshakes;
            _dialsInFlight = dialsInFlight;
        }

        public ChatSessionState State { get { lock (_gate) return _state; } }

        public bool IsRunning => State == ChatSessionState.Running;

        /// <summary>The linked members, without taking the lock.</summary>
        public Member[] Linked => Volatile.Read(ref _linked);

        public LostMember[] Redialing() { lock (_gate) return _redialing.Values.ToArray(); }

        public bool TryGetMember(string peerId, out Member member) { lock (_gate) return _members.TryGet(peerId, out member); }

        /// <summary>The user name of a peer this session has heard of, or null.</summary>
        public string? NameOf(string peerId) { lock (_gate) return _knownNames.TryGetValue(peerId, out var name) ? name : null; }

        /// <summary>
        /// True once per period with no member linked (the session is alone): the first send of such a period is warned
        /// about, the others are not. A period ends when a member links.
        /// </summary>
        public bool TakeAloneWarning()
        {
            lock (_gate)
            {
                if (_state != ChatSessionState.Running || _linked.Length > 0 || _aloneWarned) return false;
                _aloneWarned = true;
                return true;
            }
        }

        private void Learn(string peerId, string userName)
        {
            if (_knownNames.Count >= 4 * _maxMembers && !_knownNames.ContainsKey(peerId)) _knownNames.Clear();
            _knownNames[peerId] = userName;
        }

        /// <summary>Running → Stopping, once: returns the members and pending links to close, or false if already stopping.</summary>
        public bool TryBeginStop(out Member[] members, out PeerLink[] pending)
        {
            lock (_gate)
            {
                members = _members.Snapshot();
                pending = _pending.ToArray();
                if (_state != ChatSessionState.Running) return false;
                _state = ChatSessionState.Stopping;
                _redialing.Clear();
                return true;
            }
        }

        public void MarkStopped()
        {
            lock (_gate)
            {
                _state = ChatSessionState.Stopped;
                Volatile.Write(ref _linked, Array.Empty<Member>());
            }
        }

        // ---- handshakes ---------------------------------------------------------------------------------------

        /// <summary>Counts a link into its handshake; false when stopping, or when too many inbound ones are pending.</summary>
        public bool TryAddPending(PeerLink link)
        {
            lock (_gate)
            {
                if (_state != ChatSessionState.Running) return false;
                if (link.Direction == PeerDirection.Inbound)
                {
                    if (_pendingInbound >= _maxPendingHandshakes) return false;
                    _pendingInbound++;
                }
                _pending.Add(link);
                return true;
            }
        }

        /// <summary>Notes whom a pending link's hello named, so that gossip does not dial that peer a second time.</summary>
        public void IdentifyPending(PeerLink link, string peerId)
        {
            lock (_gate)
            {
                if (!_pending.Contains(link)) return;
                _pendingIds[link] = peerId;
                _pendingPeers[peerId] = _pendingPeers.TryGetValue(peerId, out int count) ? count + 1 : 1;
            }
        }

        public void RemovePending(PeerLink link)
        {
            lock (_gate)
            {
                if (!_pending.Remove(link)) return;
                if (link.Direction == PeerDirection.Inbound) _pendingInbound--;
                if (!_pendingIds.TryGetValue(link, out var peerId)) return;
                _pendingIds.Remove(link);
                if (_pendingPeers[peerId] > 1) _pendingPeers[peerId]--;
                else _pendingPeers.Remove(peerId);
            }
        }

        /// <summary>
        /// The arbiter's verdict on a peer that completed its handshake, and, if admitted, its activation, in one step.
        /// <paramref name="beforeVisible"/> runs just before the member becomes visible to senders (the welcome goes out there).
        /// </summary>
        public Admission AdmitAsArbiter(PeerIdentity remote, PeerLink link, ChatEndpoint? endpoint, DateTimeOffset now, Action beforeVisible)
        {
            lock (_gate)
            {
                var refusal = AdmissionProblemLocked(remote, out var expel);
                if (refusal != null) return Admission.Refused(refusal.Value);
                if (_members.TryGet(remote.PeerId, out var existing) && !existing.Link.IsClosed) return Admission.DuplicateLink;
                beforeVisible();
                return ActivateLocked(remote, link, endpoint, now, expel);
            }
        }

        /// <summary>The non-arbiter's check before it accepts: a refusal, or null and perhaps a member to expel.</summary>
        public Refusal? CheckAdmission(PeerIdentity remote, out Member? expel)
        {
            lock (_gate) return AdmissionProblemLocked(remote, out expel);
        }

        /// <summary>Makes the link the member's one live link once the arbiter welcomed it; null when the session is stopping.</summary>
        public Admission? ActivateWelcomed(PeerIdentity remote, PeerLink link, ChatEndpoint? endpoint, DateTimeOffset now)
        {
            lock (_gate) return _state == ChatSessionState.Running ? ActivateLocked(remote, link, endpoint, now, null) : null;
        }

        private Refusal? AdmissionProblemLocked(PeerIdentity remote, out Member? expel)
        {
            expel = null;
            if (_state != ChatSessionState.Running) return new Refusal(RefuseCode.Stopping, "the session is stopping");
            switch (JudgeNameLocked(remote.PeerId, remote.UserName, remote.Claim, out var holder))
            {
                case NameVerdict.OwnNameLost: return new Refusal(RefuseCode.NameYielded, Taken(_self.UserName));
                case NameVerdict.Taken: return new Refusal(RefuseCode.NameTaken, Taken(remote.UserName));
                case NameVerdict.HolderLoses: expel = holder; break;
            }
            if (!_members.TryGet(remote.PeerId, out _) && _members.Count >= _maxMembers)
                return new Refusal(RefuseCode.Full, $"the session already has its maximum of {_maxMembers} members");
            return null;
        }

        internal static string Taken(string userName) => $"The user name '{userName}' is already in use in the chat.";

        /// <summary>The one name rule: a newcomer's claim against this session's own and against the member holding the name.</summary>
        private NameVerdict JudgeNameLocked(string peerId, string userName, NameClaim claim, out Member? holder)
        {
            holder = null;
            // Both claim one name: the same rule as for any two members decides, so an established member is never
            // pushed out by a newcomer that happens to reach it first.
            if (ChatLimits.SameName(userName, _self.UserName)) return _self.Claim.Precedes(claim) ? NameVerdict.Taken : NameVerdict.OwnNameLost;
            holder = _members.FindByName(userName);
            if (holder == null || holder.PeerId == peerId) return NameVerdict.Free;
            return holder.Identity.Claim.Precedes(claim) ? NameVerdict.Taken : NameVerdict.HolderLoses;
        }

        private Admission ActivateLocked(PeerIdentity remote, PeerLink link, ChatEndpoint? endpoint, DateTimeOffset now, Member? expel)
        {
            if (_members.TryGet(remote.PeerId, out var existing))
            {
                // The arbiter has chosen this link (the old one was half-open on our side): swap it in without notices.
                var replaced = existing.Link;
                existing.Relink(link, now);
                RebuildLinked();
                return new Admission(existing, false, replaced, expel, null, false);
            }
            var member = new Member(remote, link, endpoint, now);
            _members.Add(member);
            _redialing.Remove(remote.PeerId);
            _departed.Remove(remote.PeerId);
            Learn(remote.PeerId, remote.UserName);
            // A member restarted under the same name is a new incarnation (a new peer id): the old one is not coming back,
            // so it is no longer re-dialed nor listed as Reconnecting beside the new one.
            foreach (var stale in _redialing.Values.Where(r => ChatLimits.SameName(r.UserName, remote.UserName)).ToList())
            {
                _redialing.Remove(stale.PeerId);
                _staleDropped(stale);
            }
            RebuildLinked();
            if (_awaited.TryGetValue(remote.PeerId, out var awaited))
            {
                _awaited.Remove(remote.PeerId);
                awaited.TrySetResult(member);
            }
            return new Admission(member, true, null, expel, null, false);
        }

        // ---- gossip -------------------------------------------------------------------------------------------

        /// <summary>What to do about one announced member: the same name rule as the handshake's, applied before dialing it.</summary>
        public GossipStep Consider(MemberAnnouncement entry)
        {
            lock (_gate)
            {
                if (_state != ChatSessionState.Running) return GossipStep.StopReading;
                Learn(entry.PeerId, entry.UserName);
                if (_members.TryGet(entry.PeerId, out _) || _departed.Contains(entry.PeerId)) return GossipStep.Skip;
                if (_pendingPeers.ContainsKey(entry.PeerId)) return GossipStep.Skip;
                if (_members.Count + _dialsInFlight() >= _maxMembers) return GossipStep.StopReading; // full: no more dialing on anyone's word
                switch (JudgeNameLocked(entry.PeerId, entry.UserName, new NameClaim(entry.PeerId, entry.Since), out var holder))
                {
                    case NameVerdict.OwnNameLost: return GossipStep.OwnNameLost;
                    case NameVerdict.Taken: return GossipStep.Skip; // the later claimant loses; the members linked to it will tell it
                    case NameVerdict.HolderLoses: return GossipStep.Dial(_self.IsArbiterFor(entry.PeerId), holder);
                    default: return GossipStep.Dial(_self.IsArbiterFor(entry.PeerId), null);
                }
            }
        }

        /// <summary>The member with this peer id once another link of ours brings it in; null when the session is stopping.</summary>
        public Task<Member>? WhenMember(string peerId)
        {
            lock (_gate)
            {
                if (_members.TryGet(peerId, out var member)) return Task.FromResult(member);
                if (_state != ChatSessionState.Running) return null;
                if (!_awaited.TryGetValue(peerId, out var awaited))
                {
                    _awaited[peerId] = awaited = new TaskCompletionSource<Member>(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                return awaited.Task;
            }
        }

        /// <summary>Whether gossip about the peer is settled: it is a member, departed for good, or the session is stopping.</summary>
        public bool IsSettled(string peerId)
        {
            lock (_gate) return _state != ChatSessionState.Running || _members.TryGet(peerId, out _) || _departed.Contains(peerId);
        }

        // ---- departures ---------------------------------------------------------------------------------------

        /// <summary>Marks a member departed for its name: it is not to be re-dialed, and announcements of it are stale.</summary>
        public void Expel(Member member)
        {
            lock (_gate)
            {
                // Recorded on the member, because the link may end by the other side's hand before our own close does.
                member.Depart(Departure.NameConflict);
                _departed.Add(member.PeerId);
            }
        }

        /// <summary>
        /// Takes a member out once its link closed, and decides what it was: a departure for good, or a loss to re-dial.
        /// Null when the link was already replaced, the member already gone, or the session is stopping (no notices then).
        /// </summary>
        public Loss? Remove(Member member, PeerLink link, LinkClosure closure, DateTimeOffset now)
        {
            lock (_gate)
            {
                if (member.Link != link || !_members.Remove(member)) return null;
                RebuildLinked();
                if (_state != ChatSessionState.Running) return null;
                var departure = member.Departure ?? Departure.ConnectionLost;
                // A member that broke the protocol is not called back: it would only break it again.
                bool redial = (departure == Departure.ConnectionLost || departure == Departure.Timeout) && closure.Kind != LinkCloseKind.ProtocolViolation && member.Endpoint != null;
                if (departure == Departure.Graceful || departure == Departure.NameConflict) _departed.Add(member.PeerId);
                if (redial) _redialing[member.PeerId] = new LostMember(member.PeerId, member.UserName, member.Endpoint!, now);
                return new Loss(departure, redial);
            }
        }

        public bool IsRedialing(string peerId) { lock (_gate) return _state == ChatSessionState.Running && _redialing.ContainsKey(peerId); }

        public void EndRedial(string peerId) { lock (_gate) _redialing.Remove(peerId); }

        private void RebuildLinked()
        {
            var linked = _members.Snapshot();
            if (linked.Length > 0) _aloneWarned = false; // a member: the next time alone is a new period
            Volatile.Write(ref _linked, linked);
        }
    }
}
