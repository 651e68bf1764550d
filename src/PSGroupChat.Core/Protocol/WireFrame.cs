using System.Collections.Generic;

namespace PSGroupChat.Protocol
{
    /// <summary>One decoded frame. Only the fields of its <see cref="Type"/> are set; the decoder guarantees they are.</summary>
    internal sealed class WireFrame
    {
        public FrameType Type;

        // hello
        public int Version;
        public string PeerId = string.Empty;
        public string UserName = string.Empty;
        public int ListenPort;
        public long Since;
        public byte[] Nonce = System.Array.Empty<byte>();

        // auth, welcome
        public byte[] Proof = System.Array.Empty<byte>();

        // refuse, leave
        public string Code = string.Empty;
        public string? Reason;

        // members
        public List<MemberAnnouncement>? Members;

        // msg
        public string MessageId = string.Empty;
        public long Sequence;
        public long SentAtUnixMs;
        public string Text = string.Empty;
        public string[]? To;
        public bool Action;
    }

    /// <summary>What one member tells another about a third: enough to dial it and to check its name.</summary>
    internal sealed class MemberAnnouncement
    {
        public MemberAnnouncement(string peerId, string userName, ChatEndpoint endpoint, long since)
        {
            Since = since;
            PeerId = peerId;
            UserName = userName;
            Endpoint = endpoint;
        }

        public string PeerId { get; }
        public string UserName { get; }
        public ChatEndpoint Endpoint { get; }

        /// <summary>When the member's session started, in Unix microseconds (its clock): the first claim to a user name keeps it.</summary>
        public long Since { get; }
    }
}
