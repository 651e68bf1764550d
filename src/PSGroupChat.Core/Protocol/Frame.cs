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

    internal sealed record MessageFrame(string MessageId, long Sequence, long SentAtUnixMs, string Text, string[]? To, bool Action) : Frame
    {
        public override FrameType Type => FrameType.Message;
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
