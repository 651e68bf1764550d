using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using PSGroupChat.Logging;
using PSGroupChat.Membership;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat.Delivery
{
    // Reconciliation (anti-entropy, as in Scuttlebutt and Briar): members tell each other, per origin, the highest
    // sequence they hold with none missing below it, and each sends the other what it has and the other lacks, from its
    // history: an origin's own messages at once, third parties' messages (forwarding) once they have settled, so that
    // what is still on its way from the origin itself is not sent twice.
    internal sealed partial class MessageRouter
    {
        /// <summary>
        /// A link comes into service (new member or a new link of a known one): this side's full digest goes first, and a
        /// late joiner's history request to the first member it links to.
        /// </summary>
        public void OnLinked(Member member)
        {
            var link = member.Link;
            lock (_gate)
            {
                var marks = MarksOf(link);
                if (!_owedFrom.ContainsKey(member.PeerId))
                {
                    // A new member: what this side sent before is not owed, and nothing after it has been queued on this link yet.
                    if (_owedFrom.Count >= _options.MaxOrigins) _owedFrom.Clear(); // bounded; a forgotten member is owed from its next link
                    _owedFrom[member.PeerId] = _own.Received.Contiguous;
                    marks.SetSent(_own, _own.Received.Contiguous);
                }
                SendDigest(member, link, marks, _originList, full: true);
                marks.Opened = true;
                marks.ServedAtHeartbeat = _heartbeats; // told everything as of now: the next heartbeat's moved marks cover the rest
                if (_options.HistoryWanted && !_historyAsked)
                {
                    _historyAsked = true;
                    long since = _options.HistoryAge == null ? 0 : (_time.GetUtcNow() - _options.HistoryAge.Value).ToUnixTimeMilliseconds();
                    link.TrySend(WireCodec.EncodeHistoryRequest(_options.HistoryCount, Math.Max(0, since)));
                }
            }
        }

        private bool _historyAsked;

        /// <summary>Forgets a closed link's marks: a new link of the member starts from its first digest.</summary>
        public void OnLinkClosed(PeerLink link)
        {
            lock (_gate) _links.Remove(link);
        }

        /// <summary>A member's digest: note what it holds (learning origins we never heard of), and send it what it lacks.</summary>
        public void OnDigest(Member member, DigestFrame digest)
        {
            if (digest.Seen.Count > _options.MaxOrigins)
                throw new WireProtocolException($"a digest of {digest.Seen.Count} marks exceeds the limit of {_options.MaxOrigins}");
            foreach (var mark in digest.Seen)
            {
                if (!ChatLimits.IsPeerId(mark.Origin)) throw new WireProtocolException($"a digest's origin must be 1 to {ChatLimits.MaxPeerIdLength} characters");
                if (mark.Contiguous < 0) throw new WireProtocolException("a digest's mark must not be negative");
            }
            var link = member.Link;
            lock (_gate)
            {
                var marks = MarksOf(link);
                marks.DigestReceived = true;
                foreach (var mark in digest.Seen)
                {
                    if (!_origins.TryGetValue(mark.Origin, out var log))
                    {
                        if (!HasRoomForOrigin()) continue;
                        // An origin we never heard of: we joined after what it sent so far, so its sequence starts at this mark.
                        log = AddOrigin(mark.Origin, mark.Contiguous, KnownName(mark.Origin, member));
                    }
                    marks.RaisePeerMark(log, mark.Contiguous);
                }
                if (digest.Direct > marks.PeerHasDirect) marks.PeerHasDirect = digest.Direct;
                Push(member, link, marks, _time.GetUtcNow(), _originList);
            }
        }

        /// <summary>A member says part of a sequence space is gone from its history: stop waiting, and post a Missed notice.</summary>
        public void OnGap(Member member, GapFrame gap)
        {
            if (!ChatLimits.IsPeerId(gap.Origin)) throw new WireProtocolException($"a gap's origin must be 1 to {ChatLimits.MaxPeerIdLength} characters");
            var delivered = RentDelivered();
            lock (_gate)
            {
                _ready.Clear();
                var now = _time.GetUtcNow();
                if (gap.Direct)
                {
                    // Only the sender of direct messages speaks for them.
                    if (gap.Origin == member.PeerId && _directIn.TryGetValue(gap.Origin, out var space))
                    {
                        space.Skip(gap.From, gap.To, _ready);
                        DeliverReady(gap.Origin, member.UserName, null, now, delivered);
                    }
                }
                else if (gap.Origin != _self.PeerId && _origins.TryGetValue(gap.Origin, out var log))
                {
                    MarksOf(member.Link).RaisePeerMark(log, gap.To);
                    log.Received.Skip(gap.From, gap.To, _ready);
                    DeliverReady(gap.Origin, log.UserName ?? NameOf(gap.Origin, member), log, now, delivered);
                }
            }
            RaiseDelivered(delivered);
        }

        /// <summary>A late joiner asks for recent history: each origin's last messages, marked as history, once per link.</summary>
        public void OnHistoryRequest(Member member, HistoryRequestFrame request)
        {
            if (request.MaxCount < 0) throw new WireProtocolException("a history request's count must not be negative");
            var link = member.Link;
            lock (_gate)
            {
                var marks = MarksOf(link);
                if (marks.HistoryServed) return;
                marks.HistoryServed = true;
                int max = request.MaxCount == 0 ? _options.History.Limit : Math.Min(request.MaxCount, _options.History.Limit); // 0: no count bound
                foreach (var log in _originList)
                {
                    if (log.Origin == member.PeerId) continue;
                    int start = Math.Max(0, log.History.Count - max);
                    for (int i = start; i < log.History.Count; i++)
                    {
                        var m = log.History[i];
                        if (m.SentAtUnixMs < request.SinceUnixMs) continue;
                        link.TrySend(WireCodec.CopyMessage(m.Frame, history: true));
                    }
                }
                ChatLog.HistoryServed(_log, member.UserName, max, null);
            }
        }

        /// <summary>
        /// Every heartbeat: tells each member the marks that moved since the last digest on its link (or pings it), sends it
        /// what it still lacks, and prunes history by age.
        /// </summary>
        public void OnHeartbeat(Member[] linked)
        {
            var ping = WireCodec.EncodePing();
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                var oldest = now - _options.History.Age;
                // The origins whose mark moved since the last heartbeat, found once for all links: a link that was served
                // then (or opened since) and owes nothing else needs only these, so an idle link costs a ping, not a walk
                // over every origin (a 100-peer mesh has 9,900 links of 100 origins each).
                _moved.Clear();
                foreach (var log in _originList)
                {
                    log.History.Prune(oldest);
                    if (log.Received.Contiguous == log.MarkAtHeartbeat) continue;
                    log.MarkAtHeartbeat = log.Received.Contiguous;
                    _moved.Add(log);
                }
                foreach (var outbox in _directOut.Values) outbox.History.Prune(oldest);
                foreach (var member in linked)
                {
                    var link = member.Link;
                    var marks = MarksOf(link);
                    bool served = marks.ServedAtHeartbeat == _heartbeats;
                    if (!SendDigest(member, link, marks, served ? _moved : _originList, full: false)) link.TrySend(ping);
                    Push(member, link, marks, now, served && !marks.PushDue ? _moved : _originList);
                    marks.ServedAtHeartbeat = _heartbeats + 1;
                }
                _heartbeats++;
            }
        }

        private readonly List<OriginLog> _moved = new List<OriginLog>();
        private long _heartbeats; // how many heartbeats ran: a link served by the last one has ServedAtHeartbeat equal to it

        /// <summary>
        /// Sends the marks of <paramref name="origins"/> that changed since the last digest on this link (all of them when
        /// <paramref name="full"/>); false when none did.
        /// </summary>
        private bool SendDigest(Member member, PeerLink link, LinkMarks marks, List<OriginLog> origins, bool full)
        {
            // A full digest names every origin; a heartbeat's usually none, and then makes no list.
            var changed = full ? new List<SeenMark>(origins.Count) : null;
            foreach (var log in origins)
            {
                long mark = log.Received.Contiguous;
                if (log == _own)
                {
                    // This side's own entry says where its messages to the member start (it owes everything after), once
                    // per link: a member that never heard of this side starts its sequence there.
                    if (!full) continue;
                    mark = _owedFrom.TryGetValue(member.PeerId, out long owed) ? owed : mark;
                }
                if (!marks.Advertise(log, mark, always: full)) continue;
                (changed ??= new List<SeenMark>()).Add(new SeenMark(log.Origin, mark));
            }
            long direct = _directIn.TryGetValue(member.PeerId, out var space) ? space.Contiguous : 0;
            int count = changed?.Count ?? 0;
            if (count == 0 && direct == marks.AdvertisedDirect && !full) return false;
            marks.AdvertisedDirect = direct;
            if (count <= DeliveryOptions.MaxMarksPerDigest)
            {
                link.TrySend(WireCodec.EncodeDigest((IReadOnlyList<SeenMark>?)changed ?? Array.Empty<SeenMark>(), direct));
                return true;
            }
            for (int i = 0; i < count; i += DeliveryOptions.MaxMarksPerDigest)
            {
                link.TrySend(WireCodec.EncodeDigest(changed!.GetRange(i, Math.Min(DeliveryOptions.MaxMarksPerDigest, count - i)), direct));
            }
            return true;
        }

        /// <summary>
        /// Queues on the link what the member lacks and this side holds: its own messages and its direct messages to the
        /// member at once (what it queued on this link is known), third parties' messages once settled, and a gap where
        /// history no longer reaches. Nothing before the member's first digest, which says where to start. Only
        /// <paramref name="origins"/> are looked at: every origin, or those whose mark moved when the last push left
        /// nothing owed and the member's marks did not move since.
        /// </summary>
        private void Push(Member member, PeerLink link, LinkMarks marks, DateTimeOffset now, List<OriginLog> origins)
        {
            if (!marks.DigestReceived) return;
            if (origins == _originList) marks.PushDue = false;
            int budget = DeliveryOptions.MaxPushPerRound;
            var settled = now - _options.Settle;
            foreach (var log in origins)
            {
                if (log.Origin == member.PeerId) continue; // it holds its own
                bool own = log == _own;
                long peerHas = marks.PeerMark(log);
                // A member that did not name this side in its digest is owed this side's messages from when it first linked.
                if (peerHas < 0 && own) peerHas = _owedFrom.TryGetValue(member.PeerId, out long owed) ? owed : -1;
                if (peerHas < 0) continue; // it never heard of this origin: it joined after it, or learns it from a digest first
                long from = Math.Max(Math.Max(peerHas, marks.SentMark(log)), own ? 0 : log.Floor) + 1;
                long sent = PushSpace(link, log.Origin, log.History, from, log.Received.Contiguous, own ? (DateTimeOffset?)null : settled, direct: false, ref budget);
                if (sent >= from) marks.SetSent(log, sent);
                // Not settled yet, or out of budget (the origins after it not looked at): every origin again next time.
                if (sent < log.Received.Contiguous || budget <= 0) marks.PushDue = true;
                if (budget <= 0) return;
            }
            if (_directOut.TryGetValue(member.PeerId, out var outbox))
            {
                long from = Math.Max(marks.PeerHasDirect, marks.DirectSent) + 1;
                long sent = PushSpace(link, _self.PeerId, outbox.History, from, outbox.Sequence, null, direct: true, ref budget);
                if (sent >= from) marks.DirectSent = sent;
            }
        }

        /// <summary>Queues <paramref name="from"/>..<paramref name="to"/> of one space; returns the last sequence covered (from - 1 if none).</summary>
        private long PushSpace(PeerLink link, string origin, MessageHistory history, long from, long to, DateTimeOffset? settled, bool direct, ref int budget)
        {
            long next = from;
            int count = history.Count;
            for (int i = history.IndexFrom(from); i < count && next <= to && budget > 0; i++)
            {
                var m = history[i];
                if (m.Sequence > to) break;
                if (settled != null && m.StoredAt > settled.Value) return next - 1; // still on its way from the origin, perhaps
                if (m.Sequence > next) SendGap(link, origin, next, m.Sequence - 1, direct);
                link.TrySend(WireCodec.CopyMessage(m.Frame, history: false));
                budget--;
                next = m.Sequence + 1;
            }
            if (budget > 0 && next <= to)
            {
                SendGap(link, origin, next, to, direct);
                next = to + 1;
            }
            return next - 1;
        }

        private void SendGap(PeerLink link, string origin, long from, long to, bool direct)
        {
            ChatLog.GapSent(_log, origin, from, to, link.Describe(), null);
            link.TrySend(WireCodec.EncodeGap(origin, from, to, direct));
        }

        /// <summary>
        /// Whether a message of this member came through another member within <paramref name="within"/>: a member whose
        /// own link is lost but whose messages still come through others is still in the chat. What came over its own
        /// link does not count (a crashed member was heard directly a moment ago).
        /// </summary>
        public bool HeardThroughOthersWithin(string peerId, TimeSpan within)
        {
            lock (_gate)
            {
                return _origins.TryGetValue(peerId, out var log) && log.LastHeardThroughOthers != default
                    && _time.GetUtcNow() - log.LastHeardThroughOthers <= within;
            }
        }

        /// <summary>
        /// Hands what the sequence space made ready to the inbox and <paramref name="into"/>, in order: messages, and
        /// notices of messages missed. Message <paramref name="arrivedSequence"/> came as <paramref name="arrived"/>.
        /// </summary>
        private void DeliverReady(string origin, string userName, OriginLog? keep, DateTimeOffset now, List<ChatMessage> into,
            ReadOnlySpan<byte> arrived = default, long arrivedSequence = 0)
        {
            foreach (var arrival in _ready)
            {
                if (arrival.Message is MessageFrame message)
                {
                    Deliver(origin, userName, keep, now, message, message.Sequence == arrivedSequence ? arrived : default, into);
                }
                else
                {
                    var notice = MissedNotice(origin, userName, arrival, now);
                    _inbox.Add(notice);
                    into.Add(notice);
                }
            }
            _ready.Clear();
        }

        /// <summary>The parties of a message from <paramref name="origin"/>: kept on its log, and made again when its sender's name changes.</summary>
        private MessageParties PartiesOf(string origin, string userName, OriginLog? log)
        {
            var parties = log?.Parties;
            if (parties != null && parties.Sender == userName) return parties;
            parties = new MessageParties(_self.UserName, userName, origin);
            if (log != null) log.Parties = parties;
            return parties;
        }

        /// <summary>
        /// Hands one message to the inbox and <paramref name="into"/>, and keeps a broadcast in <paramref name="keep"/>'s
        /// history: as <paramref name="wire"/>, the payload it came in, when it is delivered as it arrives (the codec is
        /// canonical: the same bytes as encoding it), else encoded again.
        /// </summary>
        private void Deliver(string origin, string userName, OriginLog? keep, DateTimeOffset now, in MessageFrame message, ReadOnlySpan<byte> wire, List<ChatMessage> into)
        {
            var received = Received(origin, PartiesOf(origin, userName, keep), message, now);
            if (keep != null)
            {
                var frame = wire.IsEmpty
                    ? WireCodec.EncodeMessage(origin, message.Sequence, message.SentAtUnixMs, message.Text, null, message.Action, pool: keep.History.Pool)
                    : WireCodec.FrameOf(wire, keep.History.Pool);
                keep.History.Keep(message.Sequence, message.SentAtUnixMs, now, frame, _options.History.Limit);
            }
            _inbox.Add(received);
            into.Add(received);
        }
    }
}
