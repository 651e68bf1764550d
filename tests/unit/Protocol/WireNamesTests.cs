using System.Text;
using PSGroupChat.Protocol;
using Xunit;

namespace PSGroupChat.Tests.Protocol
{
    /// <summary>Decoding recognises the protocol's names without allocating them, and decodes exactly as it did before.</summary>
    public class WireNamesTests
    {
        [Fact]
        public void EscapedFieldNamesAndTypeDecodeLikePlainOnes()
        {
            var plain = WireCodec.Decode(Encoding.UTF8.GetBytes("{\"type\":\"msg\",\"id\":\"m1\",\"seq\":3,\"at\":5,\"text\":\"hi\"}"));
            var escaped = WireCodec.Decode(Encoding.UTF8.GetBytes("{\"t\\u0079pe\":\"m\\u0073g\",\"\\u0069d\":\"m1\",\"seq\":3,\"at\":5,\"te\\u0078t\":\"hi\"}"));
            foreach (var frame in new[] { plain, escaped })
            {
                var message = Assert.IsType<MessageFrame>(frame);
                Assert.Equal("m1", message.Origin);
                Assert.Equal(3, message.Sequence);
                Assert.Equal("hi", message.Text);
            }
        }

        [Fact]
        public void AFieldNameThatOnlyStartsLikeAKnownOneIsStillUnknown()
        {
            var error = Assert.Throws<WireProtocolException>(() =>
                WireCodec.Decode(Encoding.UTF8.GetBytes("{\"type\":\"msg\",\"texts\":\"hi\",\"id\":\"m1\",\"seq\":1,\"at\":1}")));
            Assert.Equal("unknown field 'texts'", error.Message);
        }

        [Fact]
        public void ARepeatedFieldWrittenOnceEscapedIsStillRepeated()
        {
            var error = Assert.Throws<WireProtocolException>(() =>
                WireCodec.Decode(Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"typ\\u0065\":\"ping\"}")));
            Assert.Equal("the field 'type' appears twice", error.Message);
        }

        [Fact]
        public void AnUnknownFrameTypeIsReportedByItsName()
        {
            var error = Assert.Throws<WireProtocolException>(() => WireCodec.Decode(Encoding.UTF8.GetBytes("{\"type\":\"pong\"}")));
            Assert.Equal("unknown frame type 'pong'", error.Message);
        }
    }
}
