using System.Linq;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using PSGroupChat.Tests.Protocol;
using Xunit;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>A member list makes a session dial, so it is held to the rules of a hello and to the member limit.</summary>
    public class GossipTests
    {
        [Theory]
        [InlineData("two words", "bad user name")]
        [InlineData("", "bad user name")]
        public async Task AMemberListNamingAnImpossibleUserClosesTheLinkThatSentIt(string userName, string reason)
        {
            await using var pair = await HonestPair.StartAsync();
            using var client = await RawChatClient.ConnectAsync(pair.A.Port, "gossip");
            Assert.Equal("joined", await client.JoinAsync());
            await client.SendFrameAsync($"{{\"type\":\"members\",\"members\":[{{\"id\":\"0123456789abcdef0123456789abcdef\",\"user\":{Json.Str(userName)},\"endpoint\":\"127.0.0.1:{RawChatClient.DeadPort()}\",\"since\":1}}]}}");
            await client.ReadUntilClosedAsync();

            var closed = await pair.LogA.WaitForAsync(e => e.Event == "ConnectionClosed" && e["remote"]?.EndsWith(":" + client.LocalPort) == true, "A closes the gossiping link");
            Assert.Contains(reason, closed["reason"]);
            await pair.StopAndVerifyAsync();
        }

        [Fact]
        public async Task AForwardedMessageOfAnUnnamedOriginComesUnderItsPeerIdAndUnderItsNameOnceAMemberListNamesIt()
        {
            await using var pair = await HonestPair.StartAsync();
            using var client = await RawChatClient.ConnectAsync(pair.A.Port, "relay");
            Assert.Equal("joined", await client.JoinAsync());
            const string origin = "0123456789abcdef0123456789abcdef";
            string Msg(long seq, string text) => $"{{\"type\":\"msg\",\"origin\":\"{origin}\",\"seq\":{seq},\"at\":1,\"text\":{Json.Str(text)}}}";
            var got = new System.Collections.Generic.List<ChatMessage>();
            bool Arrived(int count)
            {
                got.AddRange(pair.A.Inbox.Take(m => m.SenderId == origin));
                return got.Count >= count;
            }

            await client.SendFrameAsync(Msg(1, "one"));
            await client.SendFrameAsync(Msg(2, "two"));
            await Eventually.True(() => Arrived(2), "A delivers the two messages of an origin it knows no name for");
            await client.SendFrameAsync($"{{\"type\":\"members\",\"members\":[{{\"id\":\"{origin}\",\"user\":\"olga\",\"endpoint\":\"127.0.0.1:{RawChatClient.DeadPort()}\",\"since\":1}}]}}");
            await client.SendFrameAsync(Msg(3, "three"));
            await Eventually.True(() => Arrived(3), "A delivers the origin's third message, after a member list named it");

            // Messages of one sender share what names them; a name learned later must still reach the messages after it.
            Assert.Equal(new[] { "peer 01234567", "peer 01234567", "olga" }, got.Select(m => m.Sender));
            Assert.Equal(new[] { "one", "two", "three" }, got.Select(m => m.Text));
            Assert.All(got, m => Assert.Equal(pair.A.UserName, m.SessionUser));
            Assert.Equal(origin + ":3", got[2].Id);
            await pair.StopAndVerifyAsync();
        }

        [Fact]
        public async Task AMemberListLongerThanTheMemberLimitClosesTheLinkThatSentIt()
        {
            await using var pair = await HonestPair.StartAsync(o => o.MaxMembers = 3);
            using var client = await RawChatClient.ConnectAsync(pair.A.Port, "gossip");
            Assert.Equal("joined", await client.JoinAsync());
            var entries = new System.Collections.Generic.List<string>();
            for (int i = 0; i < 4; i++)
            {
                entries.Add($"{{\"id\":\"{i:x32}\",\"user\":\"ghost{i}\",\"endpoint\":\"127.0.0.1:{RawChatClient.DeadPort()}\",\"since\":1}}");
            }
            await client.SendFrameAsync("{\"type\":\"members\",\"members\":[" + string.Join(",", entries) + "]}");
            await client.ReadUntilClosedAsync();

            var closed = await pair.LogA.WaitForAsync(e => e.Event == "ConnectionClosed" && e["remote"]?.EndsWith(":" + client.LocalPort) == true, "A closes the gossiping link");
            Assert.Contains("exceeds the member limit of 3", closed["reason"]);
            await pair.StopAndVerifyAsync();
        }
    }
}
