using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using PSGroupChat.Logging;
using PSGroupChat.Membership;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;

namespace PSGroupChat
{
    // What happens on a live link: messages, member lists, leaves, heartbeats, and what follows a departure.
    public sealed partial class ChatSession
    {
        private static readonly TimeSpan GossipDialGrace = TimeSpan.FromSeconds(1);
        private const int GossipDialAttempts = 3;

        /// <summary>Members lost without a leave notice and being re-dialed, by peer id.</summary>
        private readonly Dictionary<string, LostMember> _redialing = new Dictionary<string, LostMember>(StringComparer.Ordinal);

        /// <summary>Peer ids that left for good (leave notice or name conflict): announcements of them are stale.</summary>
        private readonly HashSet<string> _departed = new HashSet<string>(StringComparer.Ordinal);

        private sealed class LostMember
        {
            public LostMember(string peerId, string userName, ChatEndpoint endpoint, DateTimeOffset lostAt)
            {
                PeerId = peerId;
                UserName = userName;
                Endpoint = endpoint;
                LostAt = lostAt;
            }

            public string PeerId { get; }
            public string UserName { get; }
            public ChatEndpoint Endpoint { get; }
            public DateTimeOffset LostAt { get; }
        }

        private void OnActivated(Member member, PeerConnection link, bool isNew)
        {
            // The join is announced before the link is watched or read: the member's messages and its leave, however
            // soon they come, then always follow its join in the inbox.
            var others = Volatile.Read(ref _linked).Where(m => m != member).ToArray();
            if (isNew)
            {
                ChatLog.PeerJoined(_log, member.UserName, member.PeerId, member.Endpoint?.ToString() ?? "?", null);
                Notify(ChatMessageKind.Joined, member, null, string.Empty, PeerJoined);
            }

            // Tell the new member whom we know, and everyone else about the new member: that is how the mesh completes.
            if (others.Length > 0) link.TrySend(WireCodec.EncodeMembers(others.Select(Announce)));
            if (isNew)
            {
                var news = WireCodec.EncodeMembers(new[] { Announce(member) });
                foreach (var other in others) other.Link.TrySend(news);
            }

            _ = link.Closed.ContinueWith(t => OnLinkClosed(member, link, t.Result), TaskScheduler.Default);
            _ = link.RunReaderAsync((_, frame) => OnFrame(member, link, frame));
        }

        private static MemberAnnouncement Announce(Member m) =>
            new MemberAnnouncement(m.PeerId, m.UserName, m.Endpoint!, m.Identity.Since);

        /// <summary>Handles one frame from a member; runs on that link's reader loop.</summary>
        private void OnFrame(Member member, PeerConnection link, WireFrame frame)
        {
            switch (frame.Type)
            {
                case FrameType.Message:
                    OnMessage(member, link, frame);
                    break;
                case FrameType.Ping:
                    break; // its arrival already counts as a sign of life
                case FrameType.Members:
                    CheckAnnouncements(frame.Members!);
                    OnMembers(frame.Members!);
                    break;
                case FrameType.Leave:
                    member.LeftGracefully = true;
                    member.LeaveText = frame.Reason;
                    link.Close(LeaveReason.Graceful);
                    break;
                case FrameType.Refuse when frame.Code == RefuseCode.NameTaken:
                    link.Close(LeaveReason.NameConflict);
                    OnOwnNameRefused(frame.Reason ?? "The user name is already in use in the chat.");
                    break;
                default:
                    throw new WireProtocolException($"'{frame.Type.ToString().ToLowerInvariant()}' is not allowed after the handshake");
            }
        }

        private void OnMessage(Member member, PeerConnection link, WireFrame frame)
        {
            var problem = ChatLimits.MessageProblem(frame.Text);
            if (problem != null) throw new WireProtocolException(problem);
            if (frame.Sequence <= member.LastSequence)
                throw new WireProtocolException($"sequence {frame.Sequence} after {member.LastSequence}: messages must come in rising order");
            member.LastSequence = frame.Sequence;
            var recipients = frame.To ?? Array.Empty<string>();
            if (recipients.Length > 0 && !recipients.Any(r => ChatLimits.SameName(r, UserName))) return; // not ours: ignore it

            var message = new ChatMessage(ChatMessageKind.Message, UserName, member.UserName, member.PeerId, frame.Text)
            {
                Id = frame.MessageId,
                Sequence = frame.Sequence,
                SentAt = DateTimeOffset.FromUnixTimeMilliseconds(frame.SentAtUnixMs),
                ReceivedAt = _time.GetUtcNow(),
                Recipients = recipients,
                IsAction = frame.Action,
            };
            System.Threading.Interlocked.Increment(ref _received);
            ChatLog.MessageReceived(_log, member.UserName, message.Id, message.Sequence, message.Text, null);
            Inbox.Add(message);
            Raise(MessageReceived, message);
        }

        /// <summary>
        /// A member list is held to the same rules as a hello, and to the member limit: it makes this session dial, so a
        /// member must not be able to make it dial without bound or on behalf of names no peer could have.
        /// </summary>
        private void CheckAnnouncements(List<MemberAnnouncement> announced)
        {
            if (announced.Count > _options.MaxMembers)
                throw new WireProtocolException($"a member list of {announced.Count} entries exceeds the member limit of {_options.MaxMembers}");
            foreach (var entry in announced)
            {
                if (!ChatLimits.IsPeerId(entry.PeerId)) throw new WireProtocolException($"an announced peer id must be 1 to {ChatLimits.MaxPeerIdLength} characters");
                var problem = ChatLimits.UserNameProblem(entry.UserName);
                if (problem != null) throw new WireProtocolException("an announced member has a bad user name: " + problem);
            }
        }

        private void OnMembers(List<MemberAnnouncement> announced)
        {
            foreach (var entry in announced)
            {
                if (entry.PeerId == PeerId) continue;
                Member? expel = null;
                bool dialNow;
                lock (_gate)
                {
                    if (_state != ChatSessionState.Running) return;
                    if (_members.TryGet(entry.PeerId, out _) || _departed.Contains(entry.PeerId)) continue;
                    if (_pendingPeers.ContainsKey(entry.PeerId)) continue;
                    if (_members.Count + _dials.Count >= _options.MaxMembers) return; // full: no more dialing on anyone's word
                    if (ChatLimits.SameName(entry.UserName, UserName))
                    {
                        if (MemberTable.Precedes(entry.Since, entry.PeerId, Since, PeerId))
                        {
                            expel = null;
                            _ = FailAsync(new ChatException(ChatErrorCode.UserNameTaken, $"The user name '{UserName}' is already in use in the chat.", UserName));
                            return;
                        }
                        continue; // the other claimant loses; the members linked to it will tell it
                    }
                    var holder = _members.FindByName(entry.UserName);
                    if (holder != null)
                    {
                        if (MemberTable.Precedes(holder.Identity.Since, holder.PeerId, entry.Since, entry.PeerId)) continue;
                        expel = holder;
                    }
                    dialNow = MemberTable.IsArbiter(PeerId, entry.PeerId);
                }
                if (expel != null) Expel(expel);
                _ = DialAnnouncedAsync(entry, dialNow);
            }
        }

        /// <summary>
        /// Links to a member we heard of. Of the two, the one with the lower peer id dials at once; the other waits a
        /// moment first, so that a newcomer and the members told of it do not open two links each time.
        /// </summary>
        private async Task DialAnnouncedAsync(MemberAnnouncement entry, bool dialNow)
        {
            try
            {
                if (!dialNow) await _time.Delay(GossipDialGrace, _stopping.Token).ConfigureAwait(false);
                for (int attempt = 1; attempt <= GossipDialAttempts; attempt++)
                {
                    lock (_gate)
                    {
                        if (_state != ChatSessionState.Running || _members.TryGet(entry.PeerId, out _) || _departed.Contains(entry.PeerId)) return;
                    }
                    try
                    {
                        await ConnectAsync(entry.Endpoint).ConfigureAwait(false);
                        return;
                    }
                    catch (ChatException e) when (e.Code == ChatErrorCode.EndpointUnreachable || e.Code == ChatErrorCode.HandshakeFailed)
                    {
                        await _time.Delay(RedialSchedule.DelayBefore(attempt), _stopping.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ChatException)
            {
                // Refused (name taken, authentication) or stopped: logged where it happened, nothing to retry.
            }
        }

        /// <summary>Asks a member whose name clashes with an earlier claim to leave, and drops its link.</summary>
        private void Expel(Member member)
        {
            ChatLog.NameConflict(_log, member.UserName, member.PeerId, null);
            lock (_gate)
            {
                // Recorded on the member, because the link may end by the other side's hand before our own close does.
                member.Expelled = true;
                _departed.Add(member.PeerId);
            }
            member.Link.TrySend(WireCodec.EncodeRefuse(RefuseCode.NameTaken, $"The user name '{member.UserName}' is already in use in the chat."));
            _ = member.Link.CloseGracefullyAsync(LeaveReason.NameConflict, DrainTimeout);
        }

        /// <summary>
        /// A member refused our name: an earlier claim to it exists in this chat, and every member applies the same rule,
        /// so this session cannot stay in the chat under this name, even where other members took it in first.
        /// </summary>
        private void OnOwnNameRefused(string reason) =>
            _ = FailAsync(new ChatException(ChatErrorCode.UserNameTaken, reason, UserName));

        private Task FailAsync(ChatException failure) =>
            ShutdownAsync(failure.Message, sendLeave: true, reset: false, failure: failure);

        private void OnLinkClosed(Member member, PeerConnection link, string reason)
        {
            ChatLog.ConnectionClosed(_log, link.Describe(), reason, null);
            bool redial;
            lock (_gate)
            {
                if (member.Link != link || !_members.Remove(member)) return; // a replaced link, or already gone
                RebuildLinked();
                if (_state != ChatSessionState.Running) return; // our own stop: no notices about the others
                bool expelled = member.Expelled || reason == LeaveReason.NameConflict;
                // A member that broke the protocol is not called back: it would only break it again.
                bool violated = reason.StartsWith(PeerConnection.ProtocolViolation, StringComparison.Ordinal);
                redial = !member.LeftGracefully && !expelled && !violated && member.Endpoint != null;
                if (member.LeftGracefully || expelled) _departed.Add(member.PeerId);
                if (redial) _redialing[member.PeerId] = new LostMember(member.PeerId, member.UserName, member.Endpoint!, _time.GetUtcNow());
            }

            string leaveReason = member.LeftGracefully ? LeaveReason.Graceful
                : member.Expelled ? LeaveReason.NameConflict
                : reason == LeaveReason.Timeout || reason == LeaveReason.NameConflict ? reason
                : LeaveReason.ConnectionLost;
            string text = member.LeftGracefully ? member.LeaveText ?? string.Empty : reason == leaveReason ? string.Empty : reason;
            ChatLog.PeerLeft(_log, member.UserName, leaveReason, text, null);
            Notify(ChatMessageKind.Left, member, leaveReason, text, PeerLeft);
            if (redial) _ = RedialAsync(member.PeerId, member.UserName, member.Endpoint!);
        }

        /// <summary>
        /// Re-dials a member lost without a leave notice, with the back-off of <see cref="RedialSchedule"/>. Stops once it
        /// is linked again (either side may have dialed), it said it left, or the attempts run out.
        /// </summary>
        private async Task RedialAsync(string peerId, string userName, ChatEndpoint endpoint)
        {
            try
            {
                for (int attempt = 1; attempt <= RedialSchedule.MaxAttempts; attempt++)
                {
                    var delay = RedialSchedule.DelayBefore(attempt);
                    ChatLog.Redialing(_log, userName, endpoint.ToString(), attempt, delay.TotalSeconds, null);
                    await _time.Delay(delay, _stopping.Token).ConfigureAwait(false);
                    lock (_gate)
                    {
                        if (!_redialing.ContainsKey(peerId) || _state != ChatSessionState.Running) return;
                    }
                    try
                    {
                        await ConnectAsync(endpoint).ConfigureAwait(false);
                        break;
                    }
                    catch (ChatException e) when (e.Code == ChatErrorCode.EndpointUnreachable || e.Code == ChatErrorCode.HandshakeFailed)
                    {
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ChatException)
            {
            }
            lock (_gate) _redialing.Remove(peerId);
        }

        private void OnHeartbeat()
        {
            long now = _time.GetTimestamp();
            var ping = WireCodec.EncodePing();
            foreach (var member in Volatile.Read(ref _linked))
            {
                var silent = _time.GetElapsedTime(member.Link.LastReceivedTimestamp, now);
                if (silent > _options.PeerTimeout) member.Link.Close(LeaveReason.Timeout);
                else member.Link.TrySend(ping);
            }
        }

        private void Notify(ChatMessageKind kind, Member member, string? reason, string text, EventHandler<ChatMessageEventArgs>? handler)
        {
            var now = _time.GetUtcNow();
            var notice = new ChatMessage(kind, UserName, member.UserName, member.PeerId, text)
            {
                SentAt = now,
                ReceivedAt = now,
                Reason = reason,
            };
            Inbox.Add(notice);
            Raise(handler, notice);
        }
    }
}
