namespace PSGroupChat.Delivery
{
    /// <summary>
    /// This session's direct messages to one recipient: their own sequence space and history, caught up only with that
    /// recipient, never through third parties.
    /// </summary>
    internal sealed class DirectOutbox
    {
        public long Sequence { get; set; }

        public MessageHistory History { get; } = new MessageHistory();
    }
}
