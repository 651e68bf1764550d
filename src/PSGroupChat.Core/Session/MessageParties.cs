namespace PSGroupChat
{
    /// <summary>
    /// Who a message passes between: its sender, and the session that holds it. One per sender is shared by all its
    /// messages, so that a message carries one reference for the three names.
    /// </summary>
    internal sealed record MessageParties(string SessionUser, string Sender, string SenderId);
}
