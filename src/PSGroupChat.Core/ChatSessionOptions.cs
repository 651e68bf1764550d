using System;
using System.Net;
using Microsoft.Extensions.Logging;

namespace PSGroupChat
{
    /// <summary>Everything a session is started with. The defaults are the documented ones (docs/protocol.md).</summary>
    public sealed class ChatSessionOptions
    {
        /// <summary>Default heartbeat interval: 1 second.</summary>
        public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Default time without any frame after which a member is declared gone: 15 seconds. Longer than TCP's
        /// retransmission back-off (0.2/0.6/1.4/3.0/6.2 s) after an outage of up to 10 s, so such an outage only delays
        /// messages; a member that is really gone is noticed within 15 s plus one heartbeat.
        /// </summary>
        public static readonly TimeSpan DefaultPeerTimeout = TimeSpan.FromSeconds(15);

        /// <summary>Default history kept per sender for members that lack it: 5,000 messages.</summary>
        public const int DefaultHistoryLimit = 5_000;

        /// <summary>Default age after which a message leaves the history: 24 hours.</summary>
        public static readonly TimeSpan DefaultHistoryAge = TimeSpan.FromHours(24);

        /// <summary>Default time a member lost without a leave notice keeps being re-dialed: 24 hours.</summary>
        public static readonly TimeSpan DefaultRedialHorizon = TimeSpan.FromHours(24);

        /// <summary>Default time a connection has to complete its handshake: 5 seconds.</summary>
        public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(5);

        /// <summary>Default inbox capacity: 10,000 entries.</summary>
        public const int DefaultInboxCapacity = 10_000;

        /// <summary>The user name of this session; unique in the chat.</summary>
        public string UserName { get; set; } = string.Empty;

        /// <summary>The TCP port to listen on; 0 picks a free one.</summary>
        public int Port { get; set; }

        /// <summary>The address to listen on; by default every IPv4 and IPv6 address.</summary>
        public IPAddress ListenAddress { get; set; } = IPAddress.IPv6Any;

        /// <summary>How often each link sends a heartbeat.</summary>
        public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

        /// <summary>How long a member may stay silent before it is reported as left with reason "timeout".</summary>
        public TimeSpan PeerTimeout { get; set; } = DefaultPeerTimeout;

        /// <summary>
        /// How many messages of each sender this session keeps to send to members that lack them (after a lost link, an
        /// outage, a partition, or when they have no link to the sender). A member that comes back after more than this
        /// many messages of a sender gets a Missed notice for the rest.
        /// </summary>
        public int HistoryLimit { get; set; } = DefaultHistoryLimit;

        /// <summary>How long a message stays in the history (by this session's clock); older ones are missed with a notice.</summary>
        public TimeSpan HistoryAge { get; set; } = DefaultHistoryAge;

        /// <summary>How long a member lost without a leave notice is re-dialed (back-off 1 s doubling to 30 s) before this session gives up.</summary>
        public TimeSpan RedialHorizon { get; set; } = DefaultRedialHorizon;

        /// <summary>
        /// For a late joiner: how many recent messages per sender to ask the first member it links to for (0, the default,
        /// asks for none). Replayed messages have <see cref="ChatMessage.IsHistory"/> set.
        /// </summary>
        public int HistoryCount { get; set; }

        /// <summary>For a late joiner: ask for the messages sent within this span (at most <see cref="HistoryLimit"/> per sender); null asks by count only.</summary>
        public TimeSpan? HistorySpan { get; set; }

        /// <summary>How long a new connection has to complete its handshake before it is closed.</summary>
        public TimeSpan HandshakeTimeout { get; set; } = DefaultHandshakeTimeout;

        /// <summary>How many entries the inbox keeps before it drops the oldest.</summary>
        public int InboxCapacity { get; set; } = DefaultInboxCapacity;

        /// <summary>
        /// How many frames may wait for one member before it is disconnected as a slow consumer: 65,536, so that a script
        /// sending a burst (a log replay) outruns no healthy member, while one that never reads is still cut off.
        /// </summary>
        public int SendQueueCapacity { get; set; } = 65_536;

        /// <summary>How many bytes may wait for one member before it is disconnected as a slow consumer: 16 MiB.</summary>
        public long SendQueueBytes { get; set; } = 16 * 1024 * 1024;

        /// <summary>The largest frame accepted, in bytes; a longer declared length closes the connection before any allocation.</summary>
        public int MaxFrameSize { get; set; } = 256 * 1024;

        /// <summary>
        /// The most inbound connections that may be in their handshake at once; more are refused. As many as the member
        /// limit by default: a newcomer announced to a full chat is dialed by every member at once.
        /// </summary>
        public int MaxPendingHandshakes { get; set; } = 256;

        /// <summary>The most members a session links to; more are refused.</summary>
        public int MaxMembers { get; set; } = 256;

        /// <summary>The shared secret members prove they hold; null for an open chat.</summary>
        public byte[]? SharedSecret { get; set; }

        /// <summary>
        /// The identity key this session presents in TLS; null gives the session a new key of its own that lives in
        /// memory only (Start-ChatPeer passes the user's lasting one, <see cref="Security.ChatIdentity.DefaultPath"/>).
        /// </summary>
        public Security.ChatIdentity? Identity { get; set; }

        /// <summary>Where the names of members are recorded with their keys at first sight; null records nothing.</summary>
        public Security.KnownPeers? KnownPeers { get; set; }

        /// <summary>With fingerprints here, the chat is closed to every other key (besides this session's own identity).</summary>
        public System.Collections.Generic.IReadOnlyCollection<string>? TrustedPeers { get; set; }

        /// <summary>
        /// Links carry everything in clear, without TLS: readable and alterable by anyone on the path, and refused by
        /// encrypted peers. For a peer that cannot do TLS, or to look at the bytes. False (encrypted) by default.
        /// </summary>
        public bool Plaintext { get; set; }

        /// <summary>The clock for heartbeats, timeouts and back-off; tests pass a fake one.</summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        /// <summary>Where the session logs what happens: connects, handshakes, joins, leaves, messages.</summary>
        public ILoggerFactory? LoggerFactory { get; set; }

        // LAN discovery (issue 17): the session announces itself and joins the room's members (Discovery/RoomPresence).
        /// <summary>The room to announce on the LAN and join others of (multicast DNS); null (the default) announces nothing.</summary>
        public string? Room { get; set; }

        /// <summary>Opens the multicast group for the room on a listen address; tests put an in-memory group here.</summary>
        internal Func<IPAddress, Discovery.IMulticastLink>? MulticastLink { get; set; }

        /// <summary>Checks every setting, throwing <see cref="ChatException"/> with code InvalidArgument on the first bad one.</summary>
        public void Validate()
        {
            ChatLimits.CheckUserName(UserName);
            if (Port < 0 || Port > 65535) throw Invalid($"The port {Port} is not between 0 and 65535.", Port);
            if (HeartbeatInterval <= TimeSpan.Zero) throw Invalid("The heartbeat interval must be positive.", HeartbeatInterval);
            if (PeerTimeout <= HeartbeatInterval) throw Invalid("The peer timeout must be longer than the heartbeat interval.", PeerTimeout);
            if (HandshakeTimeout <= TimeSpan.Zero) throw Invalid("The handshake timeout must be positive.", HandshakeTimeout);
            if (InboxCapacity < 1) throw Invalid("The inbox capacity must be at least 1.", InboxCapacity);
            if (SendQueueCapacity < 16) throw Invalid("The send queue capacity must be at least 16.", SendQueueCapacity);
            if (SendQueueBytes < MaxFrameSize) throw Invalid("The send queue must hold at least one frame of the maximum size.", SendQueueBytes);
            if (MaxFrameSize < 1024) throw Invalid("The maximum frame size must be at least 1024 bytes.", MaxFrameSize);
            if (MaxPendingHandshakes < 1 || MaxMembers < 1) throw Invalid("The connection limits must be at least 1.", Math.Min(MaxPendingHandshakes, MaxMembers));
            if (Room != null) Discovery.RoomName.Check(Room);
            if (HistoryLimit < 1) throw Invalid("The history limit must be at least 1 message per sender.", HistoryLimit);
            if (HistoryAge <= TimeSpan.Zero) throw Invalid("The history age must be positive.", HistoryAge);
            if (RedialHorizon < TimeSpan.Zero) throw Invalid("The re-dial horizon must not be negative.", RedialHorizon);
            if (HistoryCount < 0) throw Invalid("The history count must not be negative.", HistoryCount);
            if (HistorySpan != null && HistorySpan <= TimeSpan.Zero) throw Invalid("The history span must be positive.", HistorySpan);
            if (TrustedPeers != null)
            {
                if (Plaintext) throw Invalid("-TrustedPeer needs encrypted links: it checks the key each member presents in TLS, which -Plaintext turns off.", TrustedPeers);
                foreach (var fingerprint in TrustedPeers)
                {
                    if (!Security.KeyFingerprint.TryParse(fingerprint, out _))
                        throw Invalid($"'{fingerprint}' is not a key fingerprint: expected SHA256: and 43 base64 characters, as Get-ChatSession and Get-ChatPeer show.", fingerprint);
                }
            }
        }

        /// <summary>Whether this session asks for history when it first links.</summary>
        internal bool HistoryWanted => HistoryCount > 0 || HistorySpan != null;

        // The target is the offending value.
        private static ChatException Invalid(string message, object target) => new ChatException(ChatErrorCode.InvalidArgument, message, target);
    }
}
