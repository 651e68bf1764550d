using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.Extensions.Logging;
using PSGroupChat.Lifecycle;
using PSGroupChat.Logging;
using PSGroupChat.Membership;
using PSGroupChat.Protocol;

namespace PSGroupChat.Delivery
{
    /// <summary>
    /// Where messages go: out to every member (or the named ones) in sequence order, and in from a member's link through
    /// the message rules into the inbox and the session's events, along with the Joined and Left notices.
    /// </summary>
    internal sealed class MessageRouter
    {
        private readonly object _sendGate = new object();
        private readonly object _sender;
        private readonly LocalPeer _self;
        private readonly MemberRegistry _registry;
        private readonly ChatInbox _inbox;
        private readonly TimeProvider _time;
        private readonly ILogger _log;
        private readonly BackgroundWork _work;
        private long _sequence;
        private long _sent;
        private long _received;

        // sender: the session, as the sender of the events.
        public MessageRouter(object sender, LocalPeer self, MemberRegistry registry, ChatInbox inbox, BackgroundWork work, TimeProvider time, ILogger log)
        {
            _work = work;
            _sender = sender;
            _self = self;
            _registry = registry;
            _inbox = inbox;
            _time = time;
            _log = log;
        }

        public event EventHandler<ChatMessageEventArgs>? MessageReceived;
        public event EventHandler<ChatMessageEventArgs>? PeerJoined;
        public event EventHandler<ChatMessageEventArgs>? PeerLeft;

        public long MessagesSent => Interlocked.Read(ref _sent);

        public long MessagesReceived => Interlocked.Read(ref _received);

        /// <summary>Sends to every member, or to the named ones. Never blocks on a slow member: each has its own bounded queue.</summary>
        public ChatMessage Send(string text, IReadOnlyCollection<string>? to, bool action)
        {
            bool direct = to != null && to.Count > 0;
            var linked = _registry.Linked;
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
            var message = new ChatMessage(ChatMessageKind.Message, _self.UserName, _self.UserName, _self.PeerId, text)
            {
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
                var frame = WireCodec.EncodeMessage(_self.PeerId, message.Sequence, now.ToUnixTimeMilliseconds(), text, recipients, action);
                foreach (var member in targets) member.Link.TrySend(frame);
            }
            Interlocked.Increment(ref _sent);
            if (_log.IsEnabled(LogLevel.Debug)) ChatLog.MessageSent(_log, message.Id, message.Sequence, direct ? string.Join(",", recipients) : "*", text, null);
            _inbox.Add(message);
            return message;
        }

        /// <summary>A message from a member; runs on its link's reader loop. A broken rule ends the link.</summary>
        public void OnMessage(Member member, MessageFrame frame)
        {
            var problem = ChatLimits.MessageProblem(frame.Text);
            if (problem != null) throw new WireProtocolException(problem);
            // Until messages are forwarded, a member speaks only for itself.
            if (frame.Origin != member.PeerId) throw new WireProtocolException("a message of another origin, which this peer does not forward");
            if (frame.Sequence <= member.LastSequence)
                throw new WireProtocolException($"sequence {frame.Sequence} after {member.LastSequence}: messages must come in rising order");
            member.LastSequence = frame.Sequence;
            var recipients = frame.To ?? Array.Empty<string>();
            if (recipients.Length > 0 && !recipients.Any(r => ChatLimits.SameName(r, _self.UserName))) return; // not ours: ignore it

            var message = new ChatMessage(ChatMessageKind.Message, _self.UserName, member.UserName, member.PeerId, frame.Text)
            {
                Sequence = frame.Sequence,
                SentAt = DateTimeOffset.FromUnixTimeMilliseconds(frame.SentAtUnixMs),
                ReceivedAt = _time.GetUtcNow(),
                Recipients = recipients,
                IsAction = frame.Action,
            };
            Interlocked.Increment(ref _received);
            if (_log.IsEnabled(LogLevel.Debug)) ChatLog.MessageReceived(_log, member.UserName, message.Id, message.Sequence, message.Text, null);
            _inbox.Add(message);
            Raise(MessageReceived, message);
        }

        public void NotifyJoined(Member member)
        {
            ChatLog.PeerJoined(_log, member.UserName, member.PeerId, member.Endpoint?.ToString() ?? "?", null);
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
    }
}
