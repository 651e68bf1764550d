using System.Collections.Generic;

namespace PSGroupChat.Protocol
{
    /// <summary>One decoded frame: one record per frame type, carrying exactly that type's fields (docs/protocol.md).</summary>
    internal abstract record Frame
    {
        public abstract FrameType Type { get; }

        /// <summary>The frame type as the wire spells it, for messages about unexpected frames.</summary>
        public string Name => Type.ToString().ToLowerInvariant();
    }

    internal sealed record HelloFrame(int Version, string PeerId, string UserName, int ListenPort, long Since, byte[] Nonce) : Frame
    {
        public override FrameType Type => FrameType.Hello;
    }

    internal sealed record AuthFrame(byte[] Proof) : Frame
    {
        public override FrameType Type => FrameType.Auth;
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
    /// A message. Its id is <see cref="Origin"/> (the sender's peer id, which differs from the link's member when the
    /// message is forwarded) and <see cref="Sequence"/>; a direct message (<see cref="To"/> set) numbers its own sequence
    /// space per (origin, recipient). <see cref="History"/> marks a replay for a late joiner.
    /// </summary>
    internal sealed record MessageFrame(string Origin, long Sequence, long SentAtUnixMs, string Text, string[]? To, bool Action, bool History) : Frame
    {
        public override FrameType Type => FrameType.Message;
    }

    /// <summary>Per origin, the highest sequence received with none missing below it.</summary>
    internal readonly record struct SeenMark(string Origin, long Contiguous);

    /// <summary>
    /// Reconciliation: what the sender has seen per origin (broadcast), and in <see cref="Direct"/> the highest contiguous
    /// direct message it received from the member at the other end of the link.
    /// </summary>
    internal sealed record DigestFrame(IReadOnlyList<SeenMark> Seen, long Direct) : Frame
    {
        public override FrameType Type => FrameType.Digest;
    }

    /// <summary>
    /// Messages <see cref="From"/>..<see cref="To"/> of <see cref="Origin"/> are gone from the sender's history: the
    /// receiver stops waiting for them and posts a Missed notice. <see cref="Direct"/>: the sender's own direct messages
    /// to the receiver, rather than the origin's broadcast.
    /// </summary>
    internal sealed record GapFrame(string Origin, long From, long To, bool Direct) : Frame
    {
        public override FrameType Type => FrameType.Gap;
    }

    /// <summary>A late joiner asks for recent history: at most <see cref="MaxCount"/> messages per origin, none sent before <see cref="SinceUnixMs"/>.</summary>
    internal sealed record HistoryRequestFrame(int MaxCount, long SinceUnixMs) : Frame
    {
        public override FrameType Type => FrameType.HistoryRequest;
    }

    internal sealed record PingFrame : Frame
    {
        public override FrameType Type => FrameType.Ping;
    }

    internal sealed record LeaveFrame(string? Reason) : Frame
    {
        public override FrameType Type => FrameType.Leave;
    }
}
