namespace PSGroupChat.Discovery
{
    /// <summary>
    /// The bounds every datagram is held to before anything is allocated for it, so that a flood of hostile packets
    /// costs a fixed, small amount of memory and CPU each.
    /// </summary>
    internal static class DnsLimits
    {
        /// <summary>The largest mDNS message (RFC 6762 §17: 9000 bytes, the jumbo-frame payload).</summary>
        public const int MaxMessage = 9000;

        /// <summary>The longest name on the wire, length bytes included (RFC 1035 §2.3.4).</summary>
        public const int MaxNameBytes = 255;

        /// <summary>The longest label (RFC 1035 §2.3.4).</summary>
        public const int MaxLabelBytes = 63;

        /// <summary>How many compression pointers one name may follow; real names need a handful.</summary>
        public const int MaxPointerHops = 32;

        /// <summary>How many questions and records one message may carry in all.</summary>
        public const int MaxEntries = 128;

        /// <summary>How many strings one TXT record may carry.</summary>
        public const int MaxTxtStrings = 64;
    }
}
