namespace PSGroupChat.Tests.Hardening
{
    /// <summary>The engine's defaults that the hardening tests are written against, in one place.</summary>
    public static class ChatLimitsForTests
    {
        /// <summary>ChatSessionOptions.MaxFrameSize's default, as a constant attributes can use.</summary>
        public const int DefaultMaxFrameSize = 256 * 1024;
    }
}
