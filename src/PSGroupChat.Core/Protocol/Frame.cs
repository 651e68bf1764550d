using System.Collections.Generic;

namespace PSGroupChat.Protocol
{
    /// <summary>One decoded frame: one record per frame type, carrying exactly that type's fields (docs/protocol.md).</summary>
    internal abstract record Frame
    {
        public abstract FrameType Type { get; }

        /// <summary>The frame type as docs/protocol.md names it, for messages about unexpected frames.</summary>
        public string Name => WireCodec.NameOf(Type);
    }

    /// <summary>The first frame of both sides: who this is (a 32-hex peer id) and the nonce its proof will cover.</summary>
    internal sealed record HelloFrame(string PeerId, byte[] Nonce) : Frame
    {
        public override FrameType Type => FrameType.Hello;
    }

    /// <summary>
    /// Proof of the shared secret (32 bytes, or none when the chat has no secret) and, from a dialer on an encrypted link,
    /// its identity key's public point and that key's signature over the same input (both empty otherwise).
    /// </summary>
    internal sealed record AuthFrame(byte[] Proof, byte[] Key, byte[] Signature) : Frame
    {
        public override FrameType Type => FrameType.Auth;
    }

    /// <summary>What a peer says about itself once both proofs checked: a stranger without the secret never learns it.</summary>
    internal sealed record IntroFrame(string UserName, int ListenPort, long Since) : Frame
    {
        public override FrameType Type => FrameType.Intro;
    }

    internal sealed record AcceptFrame : Frame
    {
        public override FrameType Type => FrameType.Accept;
    }

    internal sealed record WelcomeFrame : Frame
    {
        public override FrameType Type => FrameType.Welcome;
    }

    internal sealed record RefuseFrame(string Code, string Reason) : Frame
    {
        public override FrameType Type => FrameType.Refuse;
    }

    internal sealed record MembersFrame(IReadOnlyList<MemberAnnouncement> Members) : Frame
    {
        public override FrameType Type => FrameType.Members;
    }

    /// <summary>
    /// A message. <see cref="Origin"/> is the peer id of the member that wrote it, which is not the link's member when
    /// the message was forwarded; its id in the chat is <see cref="Origin"/> and <see cref="Sequence"/>. A value, not a
    /// <see cref="Frame"/>: one comes per message on every link, and an object each would be garbage as soon as the
    /// message is delivered.
    /// </summary>
    internal readonly record struct MessageFrame(string Origin, long Sequence, long SentAtUnixMs, string Text, string[]? To, bool Action, bool History);

    internal sealed record PingFrame : Frame
    {
        public override FrameType Type => FrameType.Ping;
    }

    /// <summary>
    /// Reconciliation: per origin, the highest sequence its sender has received with none missing below it; and in
    /// <see cref="Direct"/> the highest contiguous direct message it received from the member at the link's other end.
    /// </summary>
    internal sealed record DigestFrame(IReadOnlyList<SeenMark> Seen, long Direct = 0) : Frame
    {
        public override FrameType Type => FrameType.Digest;
    }

    /// <summary>
    /// Messages <see cref="From"/> to <see cref="To"/> of <see cref="Origin"/> are gone from the sender's history;
    /// <see cref="Direct"/>: of the sender's own direct messages to the receiver, rather than the origin's broadcasts.
    /// </summary>
    internal sealed record GapFrame(string Origin, long From, long To, bool Direct = false) : Frame
    {
        public override FrameType Type => FrameType.Gap;
    }

    /// <summary>A late joiner asks for recent history: at most <see cref="MaxCount"/> messages (0: no count bound) sent since <see cref="SinceUnixMs"/>.</summary>
    internal sealed record HistoryRequestFrame(int MaxCount, long SinceUnixMs) : Frame
    {
        public override FrameType Type => FrameType.HistoryRequest;
    }

    internal sealed record LeaveFrame(string? Reason) : Frame
    {
        public override FrameType Type => FrameType.Leave;
    }
}
