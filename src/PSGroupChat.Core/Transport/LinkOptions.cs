using System;

namespace PSGroupChat.Transport
{
    /// <summary>What a link needs to know: its frame limit, the bounds of its send queue, and its clock.</summary>
    internal sealed record LinkOptions(int MaxFrameSize, int SendQueueCapacity, long SendQueueBytes, TimeProvider Time);
}
