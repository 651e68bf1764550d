using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.Extensions.Logging;
using PSGroupChat.Lifecycle;
using PSGroupChat.Logging;
using PSGroupChat.Membership;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// Where messages go: out to every member (or the named ones) in sequence order, and in from any link, whoever sent
    /// it first, through the sequence spaces (in each sender's order, once) into the inbox and the session's events, along
    /// with the Joined, Left and Missed notices. What members lack is sent to them from history: see
    /// MessageRouter.Reconciliation.cs.
    /// </summary>
    internal sealed partial class MessageRouter
    {
        // One lock for every sequence space, history and link's marks: a message is numbered, kept and queued, or
        // received, delivered to the inbox and kept, in one step, so that order holds across the threads of all links.
        private readonly object _gate = new object();
        private readonly object _sender;
        private readonly LocalPeer _self;
        private readonly MemberRegistry _registry;
        private readonly ChatInbox _inbox;
        private readonly TimeProvider _time;
        private readonly ILogger _log;
        private readonly BackgroundWork _work;
        private readonly DeliveryOptions _options;
        private readonly OriginLog _own;
        private readonly MessageParties _ownParties;
        private readonly Dictionary<string, OriginLog> _origins = new Dictionary<string, OriginLog>(StringComparer.Ordinal);
        private readonly List<OriginLog> _originList = new List<OriginLog>(); // the same, in the order they became known (their indexes)
        private readonly Dictionary<string, SequenceSpace> _directIn = new Dictionary<string, SequenceSpace>(StringComparer.Ordinal);
        private readonly Dictionary<string, DirectOutbox> _directOut = new Dictionary<string, DirectOutbox>(StringComparer.Ordinal);
        private readonly Dictionary<PeerLink, LinkMarks> _links = new Dictionary<PeerLink, LinkMarks>();
        // Per member (peer id), this session's own sequence when it first linked: its messages from there on are owed to
        // the member, over whichever link, however often replaced or re-dialed.
        private readonly Dictionary<string, long> _owedFrom = new Dictionary<string, long>(StringComparer.Ordinal);
        private readonly List<Arrival> _ready = new List<Arrival>();
        private long _sent;
        private long _received;
        private long _missed;

        // sender: the session, as the sender of the events.
        public MessageRouter(object sender, LocalPeer self, MemberRegistry registry, ChatInbox inbox, BackgroundWork work, TimeProvider time, ILogger log, DeliveryOptions options)
        {
            _work = work;
            _sender = sender;
            _self = self;
            _registry = registry;
            _inbox = inbox;
            _time = time;
            _log = log;
            _options = options;
            _own = AddOrigin(self.PeerId, 0, self.UserName);
            _ownParties = new MessageParties(self.UserName, self.UserName, self.PeerId);
        }

        public event EventHandler<ChatMessageEventArgs>? MessageReceived;
        public event EventHandler<ChatMessageEventArgs>? PeerJoined;
        public event EventHandler<ChatMessageEventArgs>? PeerLeft;
        public event EventHandler<ChatMessageEventArgs>? Missed;

        public long MessagesSent => Interlocked.Read(ref _sent);

        public long MessagesReceived => Interlocked.Read(ref _received);

        /// <summary>How many messages this session gave up on because no member's history held them any more.</summary>
        public long MessagesMissed => Interlocked.Read(ref _missed);

        /// <summary>
        /// Sends to every member, or to the named ones. Never blocks on a slow member: each has its own bounded queue.
        /// A broadcast is kept in history, so members linked later (or again) get it; a direct message is kept for its
        /// recipients only, who may be linked or being re-dialed.
        /// </summary>
        public ChatMessage Send(string text, IReadOnlyCollection<string>? to, bool action)
        {
            bool direct = to != null && to.Count > 0;
            var linked = _registry.Linked;
            var recipients = direct ? Recipients(to!, linked) : Array.Empty<(string PeerId, string UserName)>();
            var names = recipients.Select(r => r.UserName).ToArray();
            var now = _time.GetUtcNow();
            long at = now.ToUnixTimeMilliseconds();
            var message = new ChatMessage(ChatMessageKind.Message, _ownParties, text)
            {
                SentAt = now,
                ReceivedAt = now,
                Recipients = names,
                IsAction = action,
                IsOwn = true,
            };
            lock (_gate)
            {
                if (!direct)
                {
                    long seq = _own.Received.Next();
                    message.Sequence = seq; // its id, made from the sequence, when first read
                    var frame = WireCodec.EncodeMessage(_self.PeerId, seq, at, text, null, action);
                    _own.History.KeepCopy(seq, at, now, frame, _options.History.Limit);
                    foreach (var member in linked)
                    {
                        if (!_links.TryGetValue(member.Link, out var marks) || !marks.Opened)
                        {
                            // A link not opened yet gets it after its digest, from history: the member was linked before it,
                            // so it is owed from before it even if this is its first link.
                            if (!_owedFrom.ContainsKey(member.PeerId)) _owedFrom[member.PeerId] = seq - 1;
                            continue;
                        }
                        if (!member.Link.TrySend(frame)) continue;
                        // Only a link that already had everything before this one counts it as sent; the others catch up from history.
                        if (marks.SentMark(_own) == seq - 1) marks.SetSent(_own, seq);
                    }
                }
                else
                {
                    foreach (var (peerId, _) in recipients)
                    {
                        if (!_directOut.TryGetValue(peerId, out var outbox)) _directOut[peerId] = outbox = new DirectOutbox();
                        long seq = ++outbox.Sequence;
                        if (message.Sequence == 0)
                        {
                            message.Sequence = seq;
                            message.Id = DirectId(_self.PeerId, peerId, seq);
                        }
                        var frame = WireCodec.EncodeMessage(_self.PeerId, seq, at, text, names, action);
                        outbox.History.KeepCopy(seq, at, now, frame, _options.History.Limit);
                        var member = linked.FirstOrDefault(m => m.PeerId == peerId);
                        if (member == null) continue; // being re-dialed: it gets the message from the outbox once back
                        if (!_links.TryGetValue(member.Link, out var marks) || !marks.Opened) continue;
                        if (!member.Link.TrySend(frame)) continue;
                        if (marks.DirectSent == seq - 1 && marks.DigestReceived) marks.DirectSent = seq;
                    }
                }
                _inbox.Add(message);
            }
            Interlocked.Increment(ref _sent);
            if (_log.IsEnabled(LogLevel.Debug)) ChatLog.MessageSent(_log, message.Id, message.Sequence, direct ? string.Join(",", names) : "*", text, null);
            return message;
        }

        /// <summary>The recipients of a direct message: linked members, or members lost and being re-dialed (they get it when back).</summary>
        private (string PeerId, string UserName)[] Recipients(IReadOnlyCollection<string> to, Member[] linked)
        {
            var lost = _registry.Redialing();
            var chosen = new List<(string, string)>();
            foreach (var name in to.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var member = linked.FirstOrDefault(m => ChatLimits.SameName(m.UserName, name));
                if (member != null)
                {
                    chosen.Add((member.PeerId, member.UserName));
                    continue;
                }
                var away = lost.FirstOrDefault(r => ChatLimits.SameName(r.UserName, name))
                    ?? throw new ChatException(ChatErrorCode.UnknownRecipient, $"No member of the chat is named '{name}'.", name);
                chosen.Add((away.PeerId, away.UserName));
            }
            return chosen.ToArray();
        }

        /// <summary>
        /// A message from a link; runs on its reader loop. It may come from its origin or be forwarded by another member,
        /// early, late or twice: the origin's sequence space puts it in order and drops duplicates. A broken rule ends the link.
        /// <paramref name="payload"/> is the message as it came, kept in history if it is delivered at once.
        /// </summary>
        public void OnMessage(Member member, in MessageFrame frame, ReadOnlySpan<byte> payload)
        {
            var problem = ChatLimits.MessageProblem(frame.Text);
            if (problem != null) throw new WireProtocolException(problem);
            if (!ChatLimits.IsPeerId(frame.Origin)) throw new WireProtocolException($"a message's origin must be 1 to {ChatLimits.MaxPeerIdLength} characters");
            if (frame.Origin == _self.PeerId) return; // our own, come back: we hold it already
            bool direct = frame.To != null && frame.To.Length > 0;
            if (direct && frame.Origin != member.PeerId)
            {
                // Direct messages travel only between their sender and recipients: a third party has no business with them.
                _log.LogDebug("Ignored a direct message of {origin} that {peer} forwarded", frame.Origin, member.UserName);
                return;
            }

            var delivered = RentDelivered();
            lock (_gate)
            {
                _ready.Clear();
                var now = _time.GetUtcNow();
                if (direct)
                {
                    if (!_directIn.TryGetValue(frame.Origin, out var space)) _directIn[frame.Origin] = space = new SequenceSpace(0);
                    space.Offer(frame, _options.History.Limit, _ready);
                    DeliverReady(frame.Origin, member.UserName, null, now, delivered);
                }
                else
                {
                    OnBroadcast(member, frame, payload, now, delivered);
                }
            }
            RaiseDelivered(delivered);
        }

        // What one call delivered, to raise as events once the lock is left: one list per thread, reused, so that a
        // delivery costs no list. Taken out of its slot while in use, in case a handler's work comes back to this thread.
        [ThreadStatic] private static List<ChatMessage>? t_delivered;

        private static List<ChatMessage> RentDelivered()
        {
            var list = t_delivered ?? new List<ChatMessage>();
            t_delivered = null;
            return list;
        }

        private void RaiseDelivered(List<ChatMessage> delivered)
        {
            foreach (var message in delivered) Raise(message.Kind == ChatMessageKind.Missed ? Missed : MessageReceived, message);
            delivered.Clear(); // the list must not keep delivered messages alive
            t_delivered = delivered;
        }

        private void OnBroadcast(Member member, in MessageFrame frame, ReadOnlySpan<byte> payload, DateTimeOffset now, List<ChatMessage> delivered)
        {
            if (!_origins.TryGetValue(frame.Origin, out var log))
            {
                if (!HasRoomForOrigin()) return;
                // The first we hear of this origin: its sequence starts here (it began before we were in the chat).
                log = AddOrigin(frame.Origin, frame.Sequence - 1, KnownName(frame.Origin, member));
            }
            MarksOf(member.Link).RaisePeerMark(log, frame.Sequence);
            log.UserName ??= KnownName(frame.Origin, member);
            string sender = log.UserName ?? UnknownName(frame.Origin);
            if (frame.Origin != member.PeerId) log.LastHeardThroughOthers = now;
            if (frame.History && frame.Sequence <= log.Received.Contiguous)
            {
                // A replay for a late joiner, from before its live messages start: delivered once, in order, as history.
                if (!_options.HistoryWanted || frame.Sequence <= log.Replayed) return;
                log.Replayed = frame.Sequence;
                _ready.Add(Arrival.Of(frame));
                DeliverReady(frame.Origin, sender, null, now, delivered);
            }
            else if (log.Received.TryTakeNext(frame.Sequence))
            {
                Deliver(frame.Origin, sender, log, now, frame, payload, delivered);
            }
            else
            {
                log.Received.Offer(frame, _options.History.Limit, _ready);
                DeliverReady(frame.Origin, sender, log, now, delivered, payload, frame.Sequence);
            }
        }

        private ChatMessage Received(string origin, MessageParties parties, in MessageFrame frame, DateTimeOffset now)
        {
            bool direct = frame.To != null && frame.To.Length > 0;
            var message = new ChatMessage(ChatMessageKind.Message, parties, frame.Text)
            {
                Sequence = frame.Sequence,
                SentAt = DateTimeOffset.FromUnixTimeMilliseconds(frame.SentAtUnixMs),
                ReceivedAt = now,
                Recipients = frame.To ?? Array.Empty<string>(),
                IsAction = frame.Action,
                IsHistory = frame.History,
            };
            if (direct) message.Id = DirectId(origin, _self.PeerId, frame.Sequence);
            Interlocked.Increment(ref _received);
            if (_log.IsEnabled(LogLevel.Debug)) ChatLog.MessageReceived(_log, parties.Sender, message.Id, message.Sequence, message.Text, null);
            return message;
        }

        private ChatMessage MissedNotice(string origin, string userName, Arrival arrival, DateTimeOffset now)
        {
            Interlocked.Add(ref _missed, arrival.MissedCount);
            ChatLog.MessagesMissed(_log, userName, arrival.MissedCount, arrival.MissedFrom, arrival.MissedTo, null);
            return new ChatMessage(ChatMessageKind.Missed, _self.UserName, userName, origin,
                arrival.MissedCount == 1 ? "missed 1 message" : $"missed {arrival.MissedCount} messages")
            {
                SentAt = now,
                ReceivedAt = now,
                MissedCount = arrival.MissedCount,
                MissedFrom = arrival.MissedFrom,
                MissedTo = arrival.MissedTo,
            };
        }

        public void NotifyJoined(Member member)
        {
            ChatLog.PeerJoined(_log, member.UserName, member.PeerId, member.Endpoint?.ToString() ?? "?", null);
            lock (_gate)
            {
                // Named from now on, also where an earlier forwarded message of it found no name.
                if (_origins.TryGetValue(member.PeerId, out var log)) log.UserName = member.UserName;
            }
            Notify(ChatMessageKind.Joined, member, null, string.Empty, PeerJoined,
                member.Link.RemoteKey == null ? null : Security.KeyFingerprint.Format(member.Link.RemoteKey));
        }

        public void NotifyLeft(Member member, string reason, string text)
        {
            ChatLog.PeerLeft(_log, member.UserName, reason, text, null);
            Notify(ChatMessageKind.Left, member, reason, text, PeerLeft);
        }

        private void Notify(ChatMessageKind kind, Member member, string? reason, string text, EventHandler<ChatMessageEventArgs>? handler, string? fingerprint = null)
        {
            var now = _time.GetUtcNow();
            var notice = new ChatMessage(kind, _self.UserName, member.UserName, member.PeerId, text)
            {
                SentAt = now,
                ReceivedAt = now,
                Reason = reason,
                Fingerprint = fingerprint,
            };
            _inbox.Add(notice);
            Raise(handler, notice);
        }

        private void Raise(EventHandler<ChatMessageEventArgs>? handler, ChatMessage message)
        {
            // Checked apart from the call below: its lambda's captures would be allocated on entry, subscriber or not.
            if (handler != null) RaiseTo(handler, message);
        }

        private void RaiseTo(EventHandler<ChatMessageEventArgs> handler, ChatMessage message)
        {
            try
            {
                _work.RunCallback(() => handler(_sender, new ChatMessageEventArgs(message)));
            }
            catch (Exception e)
            {
                // A subscriber's fault must not end the link that happened to deliver the message.
                _log.LogWarning(e, "An event handler threw: {reason}", e.Message);
            }
        }

        /// <summary>
        /// The origin's user name: the linked member's, else one known from gossip or an earlier link; unknown, it is
        /// "peer " and its peer id's first eight digits, which no user name can be (user names hold no white space).
        /// </summary>
        private string NameOf(string origin, Member via) => KnownName(origin, via) ?? UnknownName(origin);

        private string? KnownName(string origin, Member via) => origin == via.PeerId ? via.UserName : _registry.NameOf(origin);

        internal static string UnknownName(string origin) => "peer " + (origin.Length > 8 ? origin.Substring(0, 8) : origin);

        private bool HasRoomForOrigin() => _origins.Count < _options.MaxOrigins;

        private OriginLog AddOrigin(string origin, long contiguous, string? userName)
        {
            var log = new OriginLog(origin, _originList.Count, contiguous, userName);
            _origins.Add(origin, log);
            _originList.Add(log);
            return log;
        }

        private LinkMarks MarksOf(PeerLink link)
        {
            if (!_links.TryGetValue(link, out var marks)) _links[link] = marks = new LinkMarks(_origins.Count);
            return marks;
        }

        internal static string MessageId(string origin, long sequence) => MessageIds.Format(origin, sequence);

        internal static string DirectId(string origin, string recipient, long sequence) =>
            origin + ">" + recipient + ":" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
