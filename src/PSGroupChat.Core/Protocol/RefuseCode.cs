namespace PSGroupChat.Protocol
{
    /// <summary>The codes of a <c>refuse</c> frame: stable strings, part of the protocol.</summary>
    internal static class RefuseCode
    {
        public const string NameTaken = "name-taken";

        /// <summary>The refusing side has the other's user name but the later claim to it: it leaves the chat itself.</summary>
        public const string NameYielded = "name-yielded";
        public const string Duplicate = "duplicate";
        public const string AuthenticationFailed = "auth-failed";
        public const string Version = "version";
        public const string Self = "self";
        public const string Full = "full";
        public const string Stopping = "stopping";

        /// <summary>The refusing side knows the other's user name by another identity key (trust on first use).</summary>
        public const string KeyChanged = "key-changed";

        /// <summary>The refusing side's chat is closed (-TrustedPeer) and the other's key is not one of it.</summary>
        public const string UntrustedKey = "untrusted-key";

        /// <summary>A dialer that dialed for a member found another peer, under another name, at the member's endpoint.</summary>
        public const string WrongPeer = "wrong-peer";
    }
}
