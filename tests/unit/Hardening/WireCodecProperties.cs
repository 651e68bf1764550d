using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using CsCheck;
using PSGroupChat.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// Property tests of the message parser: a payload either decodes to exactly the frame it spells, or ends in a
    /// <see cref="WireProtocolException"/> whose message is short enough to log. No other exception escapes.
    /// </summary>
    public class WireCodecProperties
    {
        /// <summary>A violation's message is logged as the reason a connection closed: a hostile frame must not make it long.</summary>
        private const int MaxReasonLength = 300;

        private readonly ITestOutputHelper _output;

        public WireCodecProperties(ITestOutputHelper output) => _output = output;

        /// <summary>Decodes, letting only a protocol violation through (as null); any other exception fails the test.</summary>
        private static Frame? TryDecode(byte[] payload)
        {
            try
            {
                return WireCodec.Decode(payload);
            }
            catch (WireProtocolException e)
            {
                if (e.Message.Length > MaxReasonLength) Assert.Fail($"a {e.Message.Length}-character reason: {e.Message.Substring(0, 200)}…");
                // The reason reaches a console through -Verbose: no control character (an ANSI escape, a newline) may ride along.
                if (e.Message.Any(char.IsControl)) Assert.Fail($"the reason carries the control character U+{(int)e.Message.First(char.IsControl):X4}: {e.Message.Substring(0, Math.Min(200, e.Message.Length))}");
                return null;
            }
        }

        [Fact]
        public void FramesDecodeExactlyWhenValidAndAreRefusedWhenMissingExtraRepeatedOrMistyped()
        {
            int valid = 0;
            var took = Property.Check(WireGen.Mutated, spec =>
            {
                var frame = TryDecode(spec.ToUtf8());
                if (!spec.Valid)
                {
                    Assert.True(frame == null, "the decoder accepted a frame it must refuse");
                    return;
                }
                Assert.True(frame != null, "the decoder refused a valid frame");
                AssertDecodedAsSpelled(spec, frame!);
                valid++;
            }, cases: 5000, stream: 10, print: s => s.ToString());
            _output.WriteLine($"5000 cases ({valid} valid) in {took.TotalMilliseconds:0} ms");
            Assert.InRange(valid, 500, 4500); // both sides of the property were exercised
        }

        private static void AssertDecodedAsSpelled(WireSpec spec, Frame decoded)
        {
            string S(string name) => JsonDocument.Parse(spec.Value(name)!).RootElement.GetString()!;
            long L(string name) => JsonDocument.Parse(spec.Value(name)!).RootElement.GetInt64();
            byte[] B(string name) => Convert.FromBase64String(S(name));

            switch (spec.Type)
            {
                case "hello":
                    var hello = Assert.IsType<HelloFrame>(decoded);
                    Assert.Equal(L("version"), hello.Version);
                    Assert.Equal(S("id"), hello.PeerId);
                    Assert.Equal(S("user"), hello.UserName);
                    Assert.Equal(L("port"), hello.ListenPort);
                    Assert.Equal(L("since"), hello.Since);
                    Assert.Equal(B("nonce"), hello.Nonce);
                    break;
                case "auth":
                    var auth = Assert.IsType<AuthFrame>(decoded);
                    Assert.Equal(B("proof"), auth.Proof);
                    break;
                case "accept": Assert.IsType<AcceptFrame>(decoded); break;
                case "welcome": Assert.IsType<WelcomeFrame>(decoded); break;
                case "ping": Assert.IsType<PingFrame>(decoded); break;
                case "refuse":
                    var refuse = Assert.IsType<RefuseFrame>(decoded);
                    Assert.Equal(S("code"), refuse.Code);
                    Assert.Equal(S("reason"), refuse.Reason);
                    break;
                case "leave":
                    var leave = Assert.IsType<LeaveFrame>(decoded);
                    Assert.Equal(spec.Value("reason") == null ? null : S("reason"), leave.Reason);
                    break;
                case "members":
                    var list = Assert.IsType<MembersFrame>(decoded);
                    var members = JsonDocument.Parse(spec.Value("members")!).RootElement.EnumerateArray().ToList();
                    Assert.Equal(members.Count, list.Members.Count);
                    for (int i = 0; i < members.Count; i++)
                    {
                        Assert.Equal(members[i].GetProperty("id").GetString(), list.Members[i].PeerId);
                        Assert.Equal(members[i].GetProperty("user").GetString(), list.Members[i].UserName);
                        Assert.Equal(members[i].GetProperty("endpoint").GetString(), list.Members[i].Endpoint.ToString());
                        Assert.Equal(members[i].GetProperty("since").GetInt64(), list.Members[i].Since);
                    }
                    break;
                case "msg":
                    var msg = Assert.IsType<MessageFrame>(decoded);
                    Assert.Equal(S("id"), msg.Origin);
                    Assert.Equal(L("seq"), msg.Sequence);
                    Assert.Equal(L("at"), msg.SentAtUnixMs);
                    Assert.Equal(S("text"), msg.Text);
                    if (spec.Value("to") == null) Assert.Null(msg.To);
                    else Assert.Equal(JsonDocument.Parse(spec.Value("to")!).RootElement.EnumerateArray().Select(e => e.GetString()), msg.To!);
                    Assert.Equal(spec.Value("action") == "true", msg.Action);
                    break;
                default:
                    throw new InvalidOperationException("a generator made an unknown type " + spec.Type);
            }
        }

        [Fact]
        public void RandomBytesOnlyEverEndInAProtocolViolation()
        {
            var gen = Gen.Frequency(
                (2, Gen.Byte.Array[0, 300]),
                // Bytes behind a plausible start reach further into the parser than pure noise does.
                (3, Gen.Byte.Array[0, 120].Select(b => Encoding.UTF8.GetBytes("{\"type\":\"msg\",").Concat(b).ToArray())),
                (3, Gen.Byte.Array[0, 120].Select(b => Encoding.UTF8.GetBytes("{\"type\":\"members\",\"members\":[{\"id\":").Concat(b).ToArray())));
            var took = Property.Check(gen, bytes => Assert.Null(TryDecode(bytes)), cases: 4000, stream: 11, print: b => Convert.ToHexString(b));
            _output.WriteLine($"4000 cases in {took.TotalMilliseconds:0} ms");
        }

        private static readonly Gen<string> AnyJson = Gen.Recursive<string>((depth, inner) =>
        {
            var scalar = Gen.OneOf(
                WireGen.Text.Select(Json.Str),
                Gen.Long.Select(Json.Num),
                Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "0"),
                Gen.OneOfConst("true", "false", "null"));
            if (depth >= 4) return scalar;
            var names = Gen.OneOf(Gen.OneOfConst(WireGen.KnownFields), Gen.String[Gen.Char.AlphaNumeric, 0, 6]);
            return Gen.OneOf(
                scalar,
                inner.Array[0, 4].Select(Json.Arr),
                Gen.Select(names, inner).Array[0, 5].Select(f => Json.Obj(f.Select(p => (p.Item1, p.Item2)))));
        });

        [Fact]
        public void ValidJsonOfAnyShapeDecodesOrIsAViolation()
        {
            int decoded = 0;
            // Objects that name a real type reach the shape checks; the rest stop earlier.
            var typed = from type in Gen.OneOfConst(WireGen.Shapes.Keys.ToArray())
                        from extra in Gen.Select(Gen.OneOfConst(WireGen.KnownFields), AnyJson).Array[0, 2]
                        select Json.Obj(extra.Select(p => (p.Item1, p.Item2)).Prepend(("type", Json.Str(type))));
            var took = Property.Check(Gen.OneOf(AnyJson, typed), json =>
            {
                var frame = TryDecode(Encoding.UTF8.GetBytes(json));
                if (frame != null)
                {
                    decoded++;
                    // Accepted only if it really is a frame: an object with a known type.
                    using var doc = JsonDocument.Parse(json);
                    Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
                    Assert.Contains(doc.RootElement.GetProperty("type").GetString(), WireGen.Shapes.Keys);
                }
            }, cases: 4000, stream: 12, print: j => j);
            _output.WriteLine($"4000 cases ({decoded} decoded) in {took.TotalMilliseconds:0} ms");
        }

        private static readonly byte[][] InvalidUtf8 =
        {
            new byte[] { 0xFF }, new byte[] { 0xFE }, new byte[] { 0x80 }, new byte[] { 0xC3, 0x28 }, new byte[] { 0xC0, 0xAF },
            new byte[] { 0xE0, 0x80, 0xAF }, new byte[] { 0xED, 0xA0, 0x80 }, new byte[] { 0xF4, 0x90, 0x80, 0x80 },
            new byte[] { 0xE2, 0x82 }, new byte[] { 0xF0, 0x9F, 0x98 },
        };

        [Fact]
        public void InvalidUtf8AnywhereInAFrameIsAViolation()
        {
            var gen = from spec in WireGen.Valid
                      let bytes = spec.ToUtf8()
                      from at in Gen.Int[0, bytes.Length]
                      from bad in Gen.OneOfConst(InvalidUtf8)
                      from replace in Gen.Bool
                      select (spec, bytes, at, bad, replace);
            int insideStrings = 0, invalid = 0;
            var took = Property.Check(gen, c =>
            {
                // Either inserted, or written over the bytes there (which may cut a valid character in half).
                var bytes = c.replace
                    ? c.bytes.Take(c.at).Concat(c.bad).Concat(c.bytes.Skip(c.at + c.bad.Length)).ToArray()
                    : c.bytes.Take(c.at).Concat(c.bad).Concat(c.bytes.Skip(c.at)).ToArray();
                var frame = TryDecode(bytes);
                // Writing a continuation byte over another one can leave valid UTF-8 behind; only the rest must fail.
                if (IsValidUtf8(bytes)) return;
                invalid++;
                if (InsideString(c.bytes, c.at)) insideStrings++;
                Assert.Null(frame);
            }, cases: 4000, stream: 13, print: c => $"{c.spec} with {Convert.ToHexString(c.bad)} at {c.at} ({(c.replace ? "over" : "inserted")})");
            _output.WriteLine($"4000 cases ({invalid} invalid UTF-8, {insideStrings} of them inside a string) in {took.TotalMilliseconds:0} ms");
            Assert.True(invalid > 3500 && insideStrings > 1000, "most cases should be invalid inside a string, where only UTF-8 validation can catch them");
        }

        private static bool IsValidUtf8(byte[] bytes)
        {
            try
            {
                new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        private static bool InsideString(byte[] json, int at)
        {
            bool inside = false;
            for (int i = 0; i < at && i < json.Length; i++)
            {
                if (json[i] == (byte)'\\' && inside) { i++; continue; }
                if (json[i] == (byte)'"') inside = !inside;
            }
            return inside;
        }

        [Fact]
        public void HugeStringsDecodeWhole()
        {
            var gen = from length in Gen.Int[50_000, 400_000]
                      from c in Gen.OneOfConst('a', 'é', '語', '"', '\n')
                      from field in Gen.OneOfConst("text", "id", "user", "reason")
                      select (length, c, field);
            var took = Property.Check(gen, c =>
            {
                string huge = new string(c.c, c.length);
                string json = c.field switch
                {
                    "text" => $"{{\"type\":\"msg\",\"id\":\"m\",\"seq\":1,\"at\":0,\"text\":{Json.Str(huge)}}}",
                    "reason" => $"{{\"type\":\"leave\",\"reason\":{Json.Str(huge)}}}",
                    _ => $"{{\"type\":\"hello\",\"version\":1,\"id\":{Json.Str(c.field == "id" ? huge : "i")},\"user\":{Json.Str(c.field == "user" ? huge : "u")},\"port\":1,\"since\":0,\"nonce\":\"\"}}",
                };
                var frame = TryDecode(Encoding.UTF8.GetBytes(json));
                Assert.NotNull(frame);
                string decoded = c.field switch { "text" => ((MessageFrame)frame!).Text, "reason" => ((LeaveFrame)frame!).Reason!, "id" => ((HelloFrame)frame!).PeerId, _ => ((HelloFrame)frame!).UserName };
                Assert.Equal(huge, decoded);
            }, cases: 300, stream: 14, print: c => $"{c.length} × '{c.c}' in {c.field}");
            _output.WriteLine($"300 cases in {took.TotalMilliseconds:0} ms");
        }

        [Fact]
        public void HugeUnknownNamesAndTypesAreAViolationWithAShortReason()
        {
            var gen = from length in Gen.Int[1_000, 400_000]
                      from place in Gen.OneOfConst("field", "type", "member field", "endpoint", "code")
                      select (length, place);
            var took = Property.Check(gen, c =>
            {
                string huge = new string('x', c.length);
                string json = c.place switch
                {
                    "field" => $"{{\"type\":\"ping\",{Json.Str(huge)}:1}}",
                    "type" => $"{{\"type\":{Json.Str(huge)}}}",
                    "member field" => $"{{\"type\":\"members\",\"members\":[{{{Json.Str(huge)}:1}}]}}",
                    "endpoint" => $"{{\"type\":\"members\",\"members\":[{{\"id\":\"a\",\"user\":\"b\",\"endpoint\":{Json.Str(huge)},\"since\":1}}]}}",
                    _ => $"{{\"type\":\"refuse\",\"code\":{Json.Str(huge)},\"reason\":1}}",
                };
                Assert.Null(TryDecode(Encoding.UTF8.GetBytes(json)));
            }, cases: 300, stream: 15, print: c => $"{c.length} characters in {c.place}");
            _output.WriteLine($"300 cases in {took.TotalMilliseconds:0} ms");
        }

        [Fact]
        public void DeepNestingIsAViolation()
        {
            var gen = from depth in Gen.Frequency((6, Gen.Int[3, 64]), (1, Gen.Int[64, 100_000]))
                      from open in Gen.OneOfConst("[", "{\"a\":")
                      from place in Gen.OneOfConst("top", "text", "to", "members", "member", "unknown")
                      select (depth, open, place);
            var took = Property.Check(gen, c =>
            {
                string close = c.open == "[" ? "]" : "}";
                string nested = string.Concat(Enumerable.Repeat(c.open, c.depth)) + "1" + string.Concat(Enumerable.Repeat(close, c.depth));
                string json = c.place switch
                {
                    "top" => nested,
                    "text" => $"{{\"type\":\"msg\",\"id\":\"m\",\"seq\":1,\"at\":0,\"text\":{nested}}}",
                    "to" => $"{{\"type\":\"msg\",\"id\":\"m\",\"seq\":1,\"at\":0,\"text\":\"t\",\"to\":[{nested}]}}",
                    "members" => $"{{\"type\":\"members\",\"members\":{nested}}}",
                    "member" => $"{{\"type\":\"members\",\"members\":[{{\"id\":{nested}}}]}}",
                    _ => $"{{\"type\":\"ping\",\"x\":{nested}}}",
                };
                Assert.Null(TryDecode(Encoding.UTF8.GetBytes(json)));
            }, cases: 2000, stream: 16, print: c => $"depth {c.depth} of '{c.open}' in {c.place}");
            _output.WriteLine($"2000 cases in {took.TotalMilliseconds:0} ms");
        }
    }
}
