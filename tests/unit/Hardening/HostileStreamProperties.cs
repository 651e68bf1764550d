using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
using PSGroupChat.Tests.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// The decoder properties at session level: generated hostile byte streams sent by raw clients to a member (A)
    /// during and after the handshake, while A and B trade messages. Every one must cost exactly the offending
    /// connection, closed with a logged reason, and nothing else.
    /// </summary>
    public class HostileStreamProperties
    {
        private const int MaxFrameSize = 4096;
        private readonly ITestOutputHelper _output;

        public HostileStreamProperties(ITestOutputHelper output) => _output = output;

        /// <summary>When the hostile bytes go out: instead of a hello, instead of an auth, or once a member.</summary>
        public enum Stage { BeforeHello, AfterHello, Member }

        public sealed record Attack(Stage Stage, string Kind, byte[] Bytes, bool ThenEndStream)
        {
            public override string ToString() => $"{Stage} {Kind}: {Bytes.Length} bytes {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 120)))}";
        }

        private static byte[] Prefix(int length) => new[] { (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length };

        private static byte[] Frame(byte[] payload) => Prefix(payload.Length).Concat(payload).ToArray();

        private static readonly byte[] Ping = TestWire.Frame("{\"type\":\"ping\"}");

        private static readonly Gen<(string Kind, byte[] Bytes, bool End)> AnyStage = Gen.OneOf(
            // A length the reader must refuse, after a frame or two.
            from pings in Gen.Int[0, 2]
            from length in Gen.OneOf(Gen.Const(0), Gen.Const(-1), Gen.Const(int.MinValue), Gen.Const(int.MaxValue), Gen.Const(MaxFrameSize + 1), Gen.Int[MaxFrameSize + 1, int.MaxValue], Gen.Int[int.MinValue, 0])
            from tail in Gen.Byte.Array[0, 16]
            select ("bad length", Enumerable.Repeat(Ping, pings).SelectMany(p => p).Concat(Prefix(length)).Concat(tail).ToArray(), false),
            // A frame cut short, then the end of the stream.
            from spec in WireGen.Valid.Where(s => s.Payload.Length < MaxFrameSize)
            let frame = Frame(spec.Payload)
            from cut in Gen.Int[1, frame.Length - 1]
            select ("truncated", frame.Take(cut).ToArray(), true),
            // A whole frame whose payload is not a frame: broken bytes, a forbidden value, noise.
            from spec in WireGen.Mutated.Where(s => s.Payload.Length > 0 && s.Payload.Length < MaxFrameSize)
            select ("broken " + spec.Mutations, Frame(spec.Payload), false),
            from spec in WireGen.Invalid.Where(s => s.Payload.Length < MaxFrameSize)
            select ("forbidden " + spec.Mutations, Frame(spec.Payload), false),
            from bytes in Gen.Byte.Array[1, 200].Where(b => WireCodecProperties.TryDecode(b) == null)
            select ("noise", Frame(bytes), false));

        private static string Msg(string origin, long seq, string text, long at = 0) =>
            $"{{\"type\":\"msg\",\"origin\":\"{origin}\",\"seq\":{seq},\"at\":{at},\"text\":{Json.Str(text)}}}";

        // A member's messages carry its own peer id as their origin; RawChatClient's ids start with eight f's or zeros.
        private const string Origin = "{origin}";

        private static byte[] MsgFrame(long seq, string text, long at = 0) => Encoding.UTF8.GetBytes(Msg(Origin, seq, text, at));

        private static readonly Gen<(string Kind, byte[] Bytes, bool End)> MemberOnly = Gen.OneOf(
            // Frames that are well formed but have no place on a live link.
            from type in Gen.OneOfConst("hello", "auth", "intro", "accept", "welcome")
            from spelling in WireGen.ValidSpelling[type]
            select ($"late {type}", TestWire.Frame(spelling), false),
            // Messages the session must refuse after decoding them: the sender's order and its own origin.
            Gen.OneOfConst(
                ("sequence going back", MsgFrame(5, "five").Concat(new byte[] { 0 }).Concat(MsgFrame(3, "three")).ToArray()),
                ("sequence repeated", MsgFrame(2, "two").Concat(new byte[] { 0 }).Concat(MsgFrame(2, "two again")).ToArray()),
                ("another origin", Encoding.UTF8.GetBytes(Msg(new string('a', 32), 1, "not mine"))))
            .Select(c => (c.Item1, c.Item2, false)));

        private static readonly Gen<Attack> Attacks = Gen.Frequency(
            (1, AnyStage.Select(a => new Attack(Stage.BeforeHello, a.Kind, a.Bytes, a.End))),
            (1, AnyStage.Select(a => new Attack(Stage.AfterHello, a.Kind, a.Bytes, a.End))),
            (2, Gen.Frequency((3, AnyStage), (2, MemberOnly)).Select(a => new Attack(Stage.Member, a.Kind, a.Bytes, a.End))));

        /// <summary>
        /// The member-only messages are written as JSON spellings (separated by a zero byte) with a placeholder for the
        /// client's own peer id, known only once it connects; everything else is sent as it is.
        /// </summary>
        private static byte[] Resolve(byte[] bytes, string peerId)
        {
            var text = Encoding.UTF8.GetString(bytes);
            if (!text.StartsWith("{\"type\":\"msg\"", StringComparison.Ordinal)) return bytes;
            return text.Replace(Origin, peerId).Split('\0').SelectMany(TestWire.Frame).ToArray();
        }

        [Fact]
        public async Task EveryHostileStreamCostsOnlyItsOwnConnectionWithALoggedReason()
        {
            const int cases = 500;
            int number = 0;
            await using var pair = await HonestPair.StartAsync(o =>
            {
                o.MaxFrameSize = MaxFrameSize;
                o.PeerTimeout = TimeSpan.FromMinutes(5); // raw members send no heartbeat; only their bytes may end them
            });
            var took = await Property.CheckAsync(Attacks, async attack =>
            {
                string name = $"h{++number}";
                int logged = pair.LogA.Count; // a later client may get an earlier one's port: look only at what follows
                using var client = await RawChatClient.ConnectAsync(pair.A.Port, name, arbiter: number % 2 == 0);
                if (attack.Stage == Stage.Member)
                {
                    Assert.Equal("joined", await client.JoinAsync());
                }
                else if (attack.Stage == Stage.AfterHello)
                {
                    await client.SendFrameAsync(client.HelloJson());
                }
                await client.SendAsync(Resolve(attack.Bytes, client.PeerId));
                if (attack.ThenEndStream) client.ShutdownSend();
                await client.ReadUntilClosedAsync();

                bool FromClient(LoggedEvent e) => e["remote"]?.EndsWith(":" + client.LocalPort) == true;
                var closed = await pair.LogA.WaitForAsync(
                    e => (e.Event == "ConnectionClosed" || e.Event == "HandshakeFailed") && FromClient(e),
                    $"A logs why it closed {name}", TimeSpan.FromSeconds(30), skip: logged);
                Assert.Equal(attack.Stage == Stage.Member ? "ConnectionClosed" : "HandshakeFailed", closed.Event);
                Assert.StartsWith("protocol violation: ", closed["reason"]);
                if (attack.Stage == Stage.Member)
                {
                    await pair.LogA.WaitForAsync(e => e.Event == "PeerLeft" && e["peer"] == name, $"A reports {name} gone");
                }
            }, cases, stream: 20, print: a => a.ToString());
            _output.WriteLine($"{cases} hostile streams in {took.TotalMilliseconds:0} ms, {pair.Rounds} honest round trips meanwhile");
            Assert.Equal(1, pair.A.PeerCount);
            await pair.StopAndVerifyAsync();
        }
    }
}
