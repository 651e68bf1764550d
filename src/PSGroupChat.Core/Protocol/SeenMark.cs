namespace PSGroupChat.Protocol
{
    /// <summary>One entry of a digest: of <see cref="Origin"/>'s messages, every one up to <see cref="Contiguous"/> has arrived.</summary>
    internal readonly record struct SeenMark(string Origin, long Contiguous);
}
