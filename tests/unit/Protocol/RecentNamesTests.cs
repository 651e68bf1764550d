using System;
using PSGroupChat.Protocol;
using Xunit;

namespace PSGroupChat.Tests.Protocol
{
    public class RecentNamesTests
    {
        private static MemberAnnouncement Decoded(byte[] frame) => ((MembersFrame)WireCodec.Decode(frame.AsSpan(4), out _)!).Members[0]; // past the length

        [Fact]
        public void ANameReadAgainIsTheSameStringAndAnotherNameIsItsOwn()
        {
            var ann = new MemberAnnouncement(PeerIds.New(), "ann", new ChatEndpoint("10.1.2.3", 4000), 1);
            var first = Decoded(WireCodec.EncodeMembers(new[] { ann }));
            var again = Decoded(WireCodec.EncodeMembers(new[] { ann }));
            Assert.Same(first.UserName, again.UserName);
            Assert.Same(first.Endpoint.Host, again.Endpoint.Host);

            var anne = Decoded(WireCodec.EncodeMembers(new[] { ann with { UserName = "anne", Endpoint = new ChatEndpoint("10.1.2.4", 4000) } }));
            Assert.Equal("anne", anne.UserName);
            Assert.Equal("10.1.2.4", anne.Endpoint.Host);
        }
    }
}
