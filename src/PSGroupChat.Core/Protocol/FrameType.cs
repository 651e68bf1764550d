namespace PSGroupChat.Protocol
{
    /// <summary>The kinds of frame on the wire; docs/protocol.md gives each one's fields and when it may be sent.</summary>
    internal enum FrameType
    {
        Hello,
        Auth,
        Accept,
        Welcome,
        Refuse,
        Members,
        Message,
        Ping,
        Leave,
        Digest,
        Gap,
        HistoryRequest,
    }
}
