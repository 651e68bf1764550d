using System.Threading.Tasks;
using PSGroupChat.Tests.Hardening;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Security
{
    /// <summary>A passive observer on the path: what a recording of every byte between two members holds.</summary>
    public class WireCaptureTests
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task ARecordingOfAChatHoldsNoTextNameOrPeerIdUnlessPlaintext(bool plaintext)
        {
            await using var set = new SessionSet();
            var listener = set.Start("quentin-listens", o => o.Plaintext = plaintext);
            var dialer = set.Start("rosalind-dials", o => o.Plaintext = plaintext);
            using var proxy = new RecordingProxy(listener.Port);
            await dialer.ConnectAsync(new ChatEndpoint("127.0.0.1", proxy.Port));
            await Eventually.True(() => listener.PeerCount == 1, "the listener links the dialer");
            dialer.Send("meet at the old mill at noon");
            listener.Send("bring the blue folder");
            await Eventually.True(() => listener.MessagesReceived == 1 && dialer.MessagesReceived == 1, "both messages arrive");
            await Task.WhenAll(dialer.StopAsync(), listener.StopAsync());
            await proxy.Finished;

            var up = proxy.ClientToServer;
            var down = proxy.ServerToClient;
            bool Seen(string text) => WireBytes.HasText(up, text) || WireBytes.HasText(down, text);
            bool SeenId(string id) => WireBytes.HasPeerId(up, id) || WireBytes.HasPeerId(down, id);
            var secrets = new[] { Seen("meet at the old mill"), Seen("bring the blue folder"), Seen("quentin-listens"), Seen("rosalind-dials"), SeenId(listener.PeerId), SeenId(dialer.PeerId) };
            // In plaintext the same probe finds every one of them: it is able to see what it looks for.
            Assert.Equal(new[] { plaintext, plaintext, plaintext, plaintext, plaintext, plaintext }, secrets);
            Assert.True(up.Length > 64 && down.Length > 64, "the recording holds the chat");
        }
    }
}
