using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
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

        private static readonly byte[] Ping = Frame(Encoding.UTF8.GetBytes("{\"type\":\"ping\"}"));

        private static readonly Gen<(string Kind, byte[] Bytes, bool End)> AnyStage = Gen.OneOf(
            // A length the reader must refuse, after a frame or two.
            from pings in Gen.Int[0, 2]
            from length in Gen.OneOf(Gen.Const(0), Gen.Const(-1), Gen.Const(int.MinValue), Gen.Const(int.MaxValue), Gen.Const(MaxFrameSize + 1), Gen.Int[MaxFrameSize + 1, int.MaxValue], Gen.Int[int.MinValue, 0])
            from tail in Gen.Byte.Array[0, 16]
            select ("bad length", Enumerable.Repeat(Ping, pings).SelectMany(p => p).Concat(Prefix(length)).Concat(tail).ToArray(), false),
            // A frame cut short, then the end of the stream.
            from spec in WireGen.Valid
            let frame = Frame(spec.ToUtf8())
            from cut in Gen.Int[1, frame.Length - 1]
            select ("truncated", frame.Take(cut).ToArray(), true),
            // A whole frame whose payload is not a frame.
            from spec in WireGen.Mutated.Where(s => !s.Valid)
            select ("malformed " + spec.Mutations, Frame(spec.ToUtf8()), false),
            from bytes in Gen.Byte.Array[1, 200]
            select ("noise", Frame(bytes), false),
            from spec in WireGen.Valid
            let json = spec.ToUtf8()
            from at in Gen.Int[0, json.Length]
            select ("invalid UTF-8", Frame(json.Take(at).Append((byte)0xFF).Concat(json.Skip(at)).ToArray()), false));

        private static string Msg(long seq, string text, long at = 0) =>
            $"{{\"type\":\"msg\",\"id\":\"m{seq}\",\"seq\":{seq},\"at\":{at},\"text\":{Json.Str(text)}}}";

        private static readonly Gen<(string Kind, byte[] Bytes, bool End)> MemberOnly = Gen.OneOf(
            // Frames that are well formed but have no place on a live link.
            from type in Gen.OneOfConst("hello", "auth", "accept", "welcome")
            select ($"late {type}", Frame(Encoding.UTF8.GetBytes(type switch
            {
                "hello" => "{\"type\":\"hello\",\"version\":1,\"id\":\"x\",\"user\":\"x\",\"port\":1,\"since\":0,\"nonce\":\"\"}",
                "auth" => "{\"type\":\"auth\",\"proof\":\"\"}",
                _ => $"{{\"type\":\"{type}\"}}",
            })), false),
            // Messages the session must refuse after decoding them.
            Gen.OneOfConst(
                ("empty text", Frame(Encoding.UTF8.GetBytes(Msg(1, "")))),
                ("over-long text", Frame(Encoding.UTF8.GetBytes(Msg(1, new string('x', ChatLimits.MaxMessageLength + 1))))),
                // Messages may come out of order now (forwarded, replayed): a sequence going back is a duplicate, not a
                // violation. A digest naming an origin no peer id could be is one.
                ("digest with a bad origin", Frame(Encoding.UTF8.GetBytes("{\"type\":\"digest\",\"seen\":[{\"id\":\"" + new string('a', 65) + "\",\"seq\":1}],\"direct\":0}"))),
                ("time out of range", Frame(Encoding.UTF8.GetBytes(Msg(1, "when?", long.MaxValue)))),
                ("time before year 1", Frame(Encoding.UTF8.GetBytes(Msg(1, "when?", long.MinValue)))))
            .Select(c => (c.Item1, c.Item2, false)));

        private static readonly Gen<Attack> Attacks = Gen.Frequency(
            (1, AnyStage.Select(a => new Attack(Stage.BeforeHello, a.Kind, a.Bytes, a.End))),
            (1, AnyStage.Select(a => new Attack(Stage.AfterHello, a.Kind, a.Bytes, a.End))),
            (2, Gen.Frequency((3, AnyStage), (2, MemberOnly)).Select(a => new Attack(Stage.Member, a.Kind, a.Bytes, a.End))));

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
                await client.SendAsync(attack.Bytes);
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
