namespace PSGroupChat.Transport
{
    /// <summary>What a remote peer said about itself in its hello.</summary>
    internal sealed class PeerIdentity
    {
        public PeerIdentity(string peerId, string userName, int listenPort, long since, byte[] nonce)
        {
            PeerId = peerId;
            UserName = userName;
            ListenPort = listenPort;
            Since = since;
            Nonce = nonce;
        }

        public string PeerId { get; }
        public string UserName { get; }
        public int ListenPort { get; }
        public long Since { get; }
        public byte[] Nonce { get; }
    }
}
