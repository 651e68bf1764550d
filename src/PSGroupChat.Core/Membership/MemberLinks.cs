using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using PSGroupChat.Delivery;
using PSGroupChat.Lifecycle;
using PSGroupChat.Logging;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// What happens on a member's live link: its frames are dispatched (messages to the router, member lists to gossip,
    /// leaves and refusals here), its silence is noticed, and when it closes the registry decides how the member went,
    /// the router posts the Left notice, and a lost member is re-dialed.
    /// </summary>
    internal sealed class MemberLinks
    {
        private readonly MemberRegistry _registry;
        private readonly MessageRouter _router;
        private readonly Redialer _redialer;
        private readonly BackgroundWork _work;
        private readonly TimeProvider _time;
        private readonly ILogger _log;
        private readonly Action<string> _ownNameRefused;

        public MemberLinks(MemberRegistry registry, MessageRouter router, Redialer redialer, BackgroundWork work, TimeProvider time, ILogger log, Action<string> ownNameRefused)
        {
            _registry = registry;
            _router = router;
            _redialer = redialer;
            _work = work;
            _time = time;
            _log = log;
            _ownNameRefused = ownNameRefused;
        }

        /// <summary>Set once at wiring: gossip and these links refer to each other.</summary>
        public Gossip? Gossip { get; set; }

        /// <summary>Takes an admitted member's link into service.</summary>
        public void OnAdmitted(HandshakeResult.Admitted admitted)
        {
            if (admitted.Expel != null) Expel(admitted.Expel);
            var member = admitted.Member;
            var link = member.Link;
            // The join is announced before the link is watched or read: the member's messages and its leave, however
            // soon they come, then always follow its join in the inbox.
            var others = _registry.Linked.Where(m => m != member).ToArray();
            bool wasAway;
            List<Away> stale;
            lock (_away)
            {
                wasAway = _away.Remove(member.PeerId);
                // An earlier incarnation under this name, held back as still heard: it is gone for good now, and its Left
                // comes before the new one's Joined.
                stale = admitted.IsNew ? _away.Values.Where(a => a.Member.PeerId != member.PeerId && ChatLimits.SameName(a.Member.UserName, member.UserName)).ToList() : new List<Away>();
                foreach (var a in stale) _away.Remove(a.Member.PeerId);
            }
            foreach (var a in stale) _router.NotifyLeft(a.Member, a.Reason, a.Text);
            if (admitted.IsNew && !wasAway) _router.NotifyJoined(member);
            else ChatLog.LinkReplaced(_log, member.UserName, member.PeerId, link.Describe(), null);
            // The digest goes first on every link, new or replacing one: it tells the member where to start sending, so
            // what the old link lost is sent again and nothing is missed.
            _router.OnLinked(member);
            Gossip!.Introduce(member, link, others, admitted.IsNew);
            _work.Track(link.Closed.ContinueWith(t => OnLinkClosed(member, link, t.Result), TaskScheduler.Default));
            _work.Run(() => link.RunReaderAsync(frame => OnFrame(member, link, frame), (in MessageFrame message, ReadOnlySpan<byte> payload) => _router.OnMessage(member, message, payload)));
        }

        /// <summary>Asks a member whose name clashes with an earlier claim to leave, and drops its link.</summary>
        public void Expel(Member member)
        {
            ChatLog.NameConflict(_log, member.UserName, member.PeerId, null);
            _registry.Expel(member);
            member.Link.TrySend(WireCodec.EncodeRefuse(RefuseCode.NameTaken, MemberRegistry.Taken(member.UserName)));
            _work.Run(() => member.Link.CloseGracefullyAsync(LeaveReason.NameConflict, Handshake.DrainTimeout));
        }

        /// <summary>Tells every member this session leaves (with <paramref name="reason"/>, if any), and closes their links once sent.</summary>
        public Task LeaveAsync(Member[] members, string? reason)
        {
            var leave = WireCodec.EncodeLeave(reason);
            foreach (var member in members) member.Link.TrySend(leave);
            return Task.WhenAll(members.Select(m => m.Link.CloseGracefullyAsync("session stopped", Handshake.DrainTimeout)));
        }

        /// <summary>
        /// Every heartbeat: closes the links that were silent longer than <paramref name="peerTimeout"/>, and sends the
        /// others a digest (or a ping) and what they lack. After this session itself was not running (<paramref name="resumed"/>:
        /// frozen, or a laptop asleep), silence is counted from the resume only: every link gets a full timeout for its
        /// reader to take in what arrived meanwhile before anyone is judged, and nothing that arrived is thrown away.
        /// </summary>
        public void CheckLiveness(TimeSpan peerTimeout, bool resumed)
        {
            long now = _time.GetTimestamp();
            if (resumed) _resumedAt = now;
            var alive = new List<Member>();
            foreach (var member in _registry.Linked)
            {
                var silence = _time.GetElapsedTime(member.Link.LastReceivedTimestamp, now);
                if (_resumedAt != 0) silence = TimeSpan.FromTicks(Math.Min(silence.Ticks, _time.GetElapsedTime(_resumedAt, now).Ticks));
                if (silence > peerTimeout)
                {
                    member.Depart(Departure.Timeout);
                    member.Link.Close(LeaveReason.Timeout);
                }
                else
                {
                    alive.Add(member);
                }
            }
            _router.OnHeartbeat(alive.ToArray());
            _peerTimeout = peerTimeout;

            // Members whose link was lost while their messages still came through others: announced as left only once
            // nothing of them has come for a whole peer timeout, and they are still not linked again.
            List<Away> gone;
            lock (_away)
            {
                gone = _away.Values.Where(a => !_router.HeardThroughOthersWithin(a.Member.PeerId, peerTimeout) && !_registry.TryGetMember(a.Member.PeerId, out _)).ToList();
                foreach (var a in gone) _away.Remove(a.Member.PeerId);
            }
            foreach (var a in gone) _router.NotifyLeft(a.Member, a.Reason, a.Text);
        }

        private readonly Dictionary<string, Away> _away = new Dictionary<string, Away>(StringComparer.Ordinal);
        private TimeSpan _peerTimeout = ChatSessionOptions.DefaultPeerTimeout;

        /// <summary>A member whose link was lost but who was still heard through others: its Left notice, held back.</summary>
        private sealed record Away(Member Member, string Reason, string Text);

        private long _resumedAt; // the heartbeat's timestamp when this session last resumed from a freeze; 0 if never

        /// <summary>Handles one frame from a member other than a message (the router takes those); runs on that link's reader loop.</summary>
        private void OnFrame(Member member, PeerLink link, Frame frame)
        {
            switch (frame)
            {
                case PingFrame _:
                    break; // its arrival already counts as a sign of life
                case MembersFrame members:
                    Gossip!.OnMembers(members.Members);
                    break;
                case DigestFrame digest:
                    _router.OnDigest(member, digest);
                    break;
                case GapFrame gap:
                    _router.OnGap(member, gap);
                    break;
                case HistoryRequestFrame request:
                    _router.OnHistoryRequest(member, request);
                    break;
                case LeaveFrame leave:
                    member.Depart(Departure.Graceful, leave.Reason);
                    link.Close(LeaveReason.Graceful);
                    break;
                case RefuseFrame refuse when refuse.Code == RefuseCode.NameTaken:
                    member.Depart(Departure.NameConflict);
                    link.Close(LeaveReason.NameConflict);
                    // An earlier claim to our name exists in this chat, and every member applies the same rule, so this
                    // session cannot stay under this name, even where other members took it in first.
                    _ownNameRefused(refuse.Reason);
                    break;
                default:
                    throw new WireProtocolException($"'{frame.Name}' is not allowed after the handshake");
            }
        }

        private void OnLinkClosed(Member member, PeerLink link, LinkClosure closure)
        {
            ChatLog.ConnectionClosed(_log, link.Describe(member.UserName), closure.ToString(), null);
            _router.OnLinkClosed(link);
            var loss = _registry.Remove(member, link, closure, _time.GetUtcNow());
            if (loss == null) return; // a replaced link, already gone, or our own stop: no notices
            var departure = loss.Value.Departure;
            // The reason says how it went; the text adds what only the link knows (a protocol violation, a slow reader).
            string text = departure == Departure.Graceful ? member.LeaveText ?? string.Empty
                : closure.Kind == LinkCloseKind.ProtocolViolation || closure.Kind == LinkCloseKind.SlowConsumer ? closure.ToString()
                : string.Empty;
            if (loss.Value.Redial && _router.HeardThroughOthersWithin(member.PeerId, _peerTimeout))
            {
                // Still in the chat through other members (its messages come forwarded): no Left now, and no Joined when
                // the link is back; re-dialed all the same.
                ChatLog.StillHeard(_log, member.UserName, member.PeerId, null);
                lock (_away) _away[member.PeerId] = new Away(member, departure.ToReason(), text);
            }
            else
            {
                _router.NotifyLeft(member, departure.ToReason(), text);
            }
            if (loss.Value.Redial) _redialer.Redial(new LostMember(member.PeerId, member.UserName, member.Endpoint!, _time.GetUtcNow()));
        }
    }
}
