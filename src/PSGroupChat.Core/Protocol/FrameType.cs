namespace PSGroupChat.Protocol
{
    /// <summary>
    /// The kinds of frame on the wire, with the type byte that starts each one's payload (docs/protocol.md gives every
    /// frame's layout). Handshake frames sit below 0x10, frames of a live link from 0x10 on.
    /// </summary>
    internal enum FrameType : byte
    {
        Hello = 0x01,
        Auth = 0x02,
        Intro = 0x03,
        Accept = 0x04,
        Welcome = 0x05,
        Refuse = 0x06,
        Members = 0x07,
        Message = 0x10,
        Ping = 0x11,
        Digest = 0x12,
        Gap = 0x13,
        HistoryRequest = 0x14,
        Leave = 0x15,
    }
}
