namespace PSGroupChat.Protocol
{
    /// <summary>
    /// The bounds of protocol version 2's fields, in bytes on the wire unless named otherwise. Each is checked before
    /// anything is allocated for the field, and docs/protocol.md lists them for implementers in other languages.
    /// </summary>
    internal static class WireLimits
    {
        /// <summary>A peer id on the wire: 16 raw bytes (32 lowercase hex digits in the engine).</summary>
        public const int PeerIdBytes = 16;

        public const int NonceBytes = 16;

        /// <summary>An auth proof and a key fingerprint: SHA-256 sized, or empty.</summary>
        public const int DigestBytes = 32;

        /// <summary>An identity key's public point, uncompressed: 0x04, then X and Y of 32 bytes each (P-256).</summary>
        public const int KeyPointBytes = 65;

        /// <summary>An ECDSA P-256 signature: r and s of 32 bytes each.</summary>
        public const int SignatureBytes = 64;

        /// <summary>A user name: 32 UTF-16 code units (<see cref="ChatLimits.MaxUserNameLength"/>), so at most 3 bytes each in UTF-8.</summary>
        public const int MaxUserNameBytes = ChatLimits.MaxUserNameLength * 3;

        /// <summary>Message text: 16,384 UTF-16 code units (<see cref="ChatLimits.MaxMessageLength"/>), so at most 3 bytes each.</summary>
        public const int MaxTextBytes = ChatLimits.MaxMessageLength * 3;

        /// <summary>A refuse code: lowercase ASCII letters, digits and '-'.</summary>
        public const int MaxCodeBytes = 32;

        /// <summary>A refuse or leave reason; a longer one is cut (at a character boundary) by the sender.</summary>
        public const int MaxReasonBytes = 1024;

        /// <summary>A host in a member's endpoint: a DNS name is at most 253 bytes, an IPv6 literal with a zone fewer.</summary>
        public const int MaxHostBytes = 253;

        /// <summary>Entries of one member list, and of one digest: bounded again by the frame's length before any allocation.</summary>
        public const int MaxListEntries = 4096;

        /// <summary>Recipients of one direct message (a count byte).</summary>
        public const int MaxRecipients = 255;

        /// <summary>The range a DateTimeOffset can hold, in Unix milliseconds: the receiver turns a time into one.</summary>
        public const long MinUnixMs = -62_135_596_800_000L, MaxUnixMs = 253_402_300_799_999L;
    }
}
