using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;

namespace PSGroupChat.Tests.Protocol
{
    /// <summary>JSON text helpers: escaping as a sender would, keeping non-ASCII text as UTF-8.</summary>
    public static class Json
    {
        private static readonly JsonSerializerOptions Relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static string Str(string s) => JsonSerializer.Serialize(s, Relaxed);

        public static string Num(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public static string Arr(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";

        public static string Obj(IEnumerable<(string Name, string Json)> fields) => "{" + string.Join(",", fields.Select(f => Str(f.Name) + ":" + f.Json)) + "}";
    }

    /// <summary>
    /// A frame as the bytes a peer sent, with what the decoder must make of them: <see cref="Spelling"/> is the JSON
    /// spelling (<see cref="TestWire"/>) it was written from, <see cref="Valid"/> says whether it must decode.
    /// </summary>
    public sealed record WireSpec(string Type, string Spelling, byte[] Payload, bool Valid, string Mutations)
    {
        public override string ToString() =>
            $"{(Valid ? "valid" : "invalid")} [{Mutations}] {Shorten(Spelling)} = {Convert.ToHexString(Payload.AsSpan(0, Math.Min(Payload.Length, 160)))}{(Payload.Length > 160 ? "…" : "")}";

        private static string Shorten(string s) => s.Length <= 400 ? s : s.Substring(0, 400) + $"… ({s.Length} chars)";
    }

    /// <summary>
    /// Generators of protocol 2 frames, written from docs/protocol.md: valid ones of every type with values up to every
    /// limit, valid spellings with one value the rules forbid, and valid frames broken byte by byte.
    /// </summary>
    public static class WireGen
    {
        public const long MinUnixMs = -62_135_596_800_000L, MaxUnixMs = 253_402_300_799_999L;

        /// <summary>Text of every kind that is valid UTF-16: ASCII, the whole BMP outside the surrogates, and pairs (emoji).</summary>
        public static readonly Gen<string> Text = Gen.OneOf(
            Gen.String[Gen.Char.AlphaNumeric, 0, 12],
            Gen.String[Gen.Char['\u0000', '\uD7FF'], 0, 12],
            Gen.String[Gen.Char['\uE000', '\uFFFD'], 0, 6],
            Gen.Int[0x1F300, 0x1FAFF].Array[1, 4].Select(cps => string.Concat(cps.Select(char.ConvertFromUtf32))));

        private static readonly Gen<string> Id = Gen.Byte.Array[16].Select(b => Convert.ToHexString(b).ToLowerInvariant());

        /// <summary>An uncompressed point's encoding: 0x04 and 64 bytes, on the curve or not (the decoder checks only the form).</summary>
        private static readonly Gen<string> Point = Gen.Byte.Array[64].Select(b => Json.Str(Convert.ToBase64String(b.Prepend((byte)0x04).ToArray())));

        private static Gen<string> B64(params int[] lengths) => Gen.OneOfConst(lengths).SelectMany(n => Gen.Byte.Array[n]).Select(b => Json.Str(Convert.ToBase64String(b)));

        /// <summary>User names the rule allows: 1 to 32 UTF-16 code units, no white space, no control character.</summary>
        public static readonly Gen<string> UserName = Gen.Frequency(
            (6, Gen.String[Gen.Char.AlphaNumeric, 1, 32]),
            (2, Gen.String[Gen.Char['\u00C0', '\u024F'], 1, 32]),
            (1, Gen.OneOfConst(new string('語', 32), new string('a', 32), "_", "ann-bea.o'k", "😀😀", new string('é', 16) + new string('z', 16))));

        private static readonly Gen<string> Host = Gen.Frequency(
            (4, Gen.OneOfConst("127.0.0.1", "::1", "10.0.0.254", "fe80::1%eth0", "localhost")),
            (2, Gen.String[Gen.Char.AlphaNumeric, 1, 20]),
            (1, Gen.Const(new string('h', 253))));

        private static readonly Gen<string> Endpoint = Gen.Select(Host, Gen.Int[1, 65535], (h, p) => h.Contains(':') ? $"[{h}]:{p}" : $"{h}:{p}");

        /// <summary>Message text: 1 to 16,384 UTF-16 code units of anything, control characters included.</summary>
        public static readonly Gen<string> MessageText = Gen.Frequency(
            (8, Text.Where(t => t.Length > 0)),
            (1, Gen.OneOfConst(new string('語', 16_384), new string('a', 16_384), new string('a', 16_382) + "😀", "\u001b[2J\r\n\0")));

        /// <summary>Reasons: 0 to 1,024 bytes of UTF-8.</summary>
        private static readonly Gen<string> Reason = Gen.Frequency((8, Text), (1, Gen.OneOfConst(new string('語', 341) + "a", new string('r', 1024), "")));

        private static readonly Gen<string> Code = Gen.String[Gen.OneOfConst("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()), 1, 32];

        private static readonly Gen<long> Time = Gen.OneOf(Gen.Long[MinUnixMs, MaxUnixMs], Gen.OneOfConst(MinUnixMs, MaxUnixMs, 0L));

        private static readonly Gen<long> Sequence = Gen.OneOf(Gen.Long[1, long.MaxValue], Gen.Long[1, 1000], Gen.OneOfConst(1L, long.MaxValue));

        private static readonly Gen<string> Member =
            from id in Id
            from user in UserName
            from endpoint in Endpoint
            from since in Gen.Long
            from fingerprint in B64(0, 32)
            select Json.Obj(new[] { ("id", Json.Str(id)), ("user", Json.Str(user)), ("endpoint", Json.Str(endpoint)), ("since", Json.Num(since)), ("fingerprint", fingerprint) });

        private static readonly Gen<string> Mark =
            from origin in Id
            from contiguous in Gen.OneOf(Gen.Long[0, long.MaxValue], Gen.OneOfConst(0L, long.MaxValue))
            select Json.Obj(new[] { ("origin", Json.Str(origin)), ("contiguous", Json.Num(contiguous)) });

        private static string Frame(string type, params (string Name, string Json)[] fields) => Json.Obj(fields.Prepend(("type", Json.Str(type))));

        /// <summary>A valid spelling of each frame type.</summary>
        public static readonly IReadOnlyDictionary<string, Gen<string>> ValidSpelling = new Dictionary<string, Gen<string>>
        {
            ["hello"] = from id in Id from nonce in B64(16) select Frame("hello", ("id", Json.Str(id)), ("nonce", nonce)),
            ["auth"] = Gen.OneOf(
                B64(0, 32).Select(p => Frame("auth", ("proof", p))),
                from proof in B64(0, 32) from key in Point from signature in B64(64)
                select Frame("auth", ("proof", proof), ("key", key), ("signature", signature))),
            ["intro"] = from user in UserName from port in Gen.Int[1, 65535] from since in Gen.Long
                        select Frame("intro", ("user", Json.Str(user)), ("port", Json.Num(port)), ("since", Json.Num(since))),
            ["accept"] = Gen.Const(Frame("accept")),
            ["welcome"] = Gen.Const(Frame("welcome")),
            ["refuse"] = from code in Code from reason in Reason select Frame("refuse", ("code", Json.Str(code)), ("reason", Json.Str(reason))),
            ["members"] = Gen.Frequency((9, Member.Array[0, 4]), (1, Member.Array[100])).Select(m => Frame("members", ("members", Json.Arr(m)))),
            ["msg"] = from origin in Id
                      from seq in Sequence
                      from at in Time
                      from text in MessageText
                      from to in Gen.Frequency((6, Gen.Const(Array.Empty<string>())), (3, UserName.Array[1, 3]), (1, UserName.Array[255]))
                      from action in Gen.Bool
                      from history in Gen.Bool
                      select Frame("msg", new[] { ("origin", Json.Str(origin)), ("seq", Json.Num(seq)), ("at", Json.Num(at)), ("text", Json.Str(text)),
                          ("action", action ? "true" : "false"), ("history", history ? "true" : "false") }
                          .Concat(to.Length > 0 ? new[] { ("to", Json.Arr(to.Select(Json.Str))) } : Array.Empty<(string, string)>()).ToArray()),
            ["ping"] = Gen.Const(Frame("ping")),
            ["digest"] = Gen.Frequency((9, Mark.Array[0, 5]), (1, Mark.Array[500])).Select(m => Frame("digest", ("seen", Json.Arr(m)))),
            ["gap"] = from origin in Id from first in Sequence from extra in Gen.Long[0, 1000]
                      select Frame("gap", ("origin", Json.Str(origin)), ("from", Json.Num(first)), ("to", Json.Num(first > long.MaxValue - extra ? long.MaxValue : first + extra))),
            ["history-request"] = from max in Gen.OneOf(Gen.Int[0, int.MaxValue], Gen.OneOfConst(0, int.MaxValue)) from since in Time
                                  select Frame("history-request", ("max", Json.Num(max)), ("since", Json.Num(since))),
            ["leave"] = Reason.Select(r => r.Length == 0 ? Frame("leave") : Frame("leave", ("reason", Json.Str(r)))),
        };

        public static readonly string[] Types = ValidSpelling.Keys.ToArray();

        private static WireSpec Spec(string spelling, bool valid, string mutations)
        {
            using var doc = JsonDocument.Parse(spelling);
            return new WireSpec(doc.RootElement.GetProperty("type").GetString()!, spelling, TestWire.Encode(spelling), valid, mutations);
        }

        /// <summary>A valid frame of any type.</summary>
        public static readonly Gen<WireSpec> Valid =
            Gen.OneOfConst(Types).SelectMany(t => ValidSpelling[t]).Select(s => Spec(s, true, ""));

        private static readonly string[] BadNames =
        {
            "", new string('a', 33), new string('語', 33), "two words", "tab\there", "bell\u0007", "esc\u001b[2J", "nl\n", "c1\u0085", "nbsp\u00A0x", "ls\u2028", "\0",
        };

        private static readonly string[] BadHosts = { "", "two words", "a/b", "user@host", "esc\u001b", "nl\n", "a]b", "a[b" };

        private static readonly string[] BadCodes = { "", new string('c', 33), "Name-Taken", "a b", "é", "x\u001b", "code!" };

        /// <summary>A spelling with exactly one value the rules forbid, each kind of rule in turn; all must be refused.</summary>
        public static readonly Gen<WireSpec> Invalid = Gen.OneOf(
            from name in Gen.OneOfConst(BadNames) from port in Gen.Int[1, 65535]
            select Spec(Frame("intro", ("user", Json.Str(name)), ("port", Json.Num(port)), ("since", "0")), false, $"intro user '{name}'"),
            Gen.OneOfConst(BadNames).Select(name => Spec(Frame("members", ("members", $"[{{\"id\":\"{new string('a', 32)}\",\"user\":{Json.Str(name)},\"endpoint\":\"h:1\",\"since\":1}}]")), false, $"member user '{name}'")),
            Gen.OneOfConst(BadHosts).Select(host => Spec(Frame("members", ("members", $"[{{\"id\":\"{new string('a', 32)}\",\"user\":\"u\",\"endpoint\":{Json.Str(host + ":1")},\"since\":1}}]")), false, $"member host '{host}'")),
            Gen.OneOfConst(BadNames).Select(name => Spec(Msg(to: new[] { "ok", name }), false, $"recipient '{name}'")),
            Gen.OneOfConst(BadCodes).Select(code => Spec(Frame("refuse", ("code", Json.Str(code)), ("reason", "\"r\"")), false, $"code '{code}'")),
            Gen.OneOfConst(new string('r', 1025), new string('語', 342)).Select(r => Spec(Frame("refuse", ("code", "\"c\""), ("reason", Json.Str(r))), false, $"refuse reason of {Encoding.UTF8.GetByteCount(r)} bytes")),
            Gen.OneOfConst(new string('r', 1025), new string('語', 342)).Select(r => Spec(Frame("leave", ("reason", Json.Str(r))), false, $"leave reason of {Encoding.UTF8.GetByteCount(r)} bytes")),
            Gen.OneOfConst("", new string('a', 16_385), new string('a', 16_383) + "😀").Select(t => Spec(Msg(text: t), false, $"text of {t.Length} chars")),
            Gen.OneOfConst(0L, -1L, long.MinValue).Select(s => Spec(Msg(seq: s), false, $"seq {s}")),
            Gen.OneOfConst(MaxUnixMs + 1, MinUnixMs - 1, long.MaxValue, long.MinValue).Select(at => Spec(Msg(at: at), false, $"at {at}")),
            Gen.OneOfConst(1, 16, 31, 33, 64).Select(n => Spec(Frame("auth", ("proof", Json.Str(Convert.ToBase64String(new byte[n])))), false, $"proof of {n} bytes")),
            Gen.OneOfConst(1, 32, 64, 66).Select(n => Spec(Auth(Filled(n, 4), new byte[64]), false, $"key of {n} bytes")),
            Gen.OneOfConst(1, 32, 63, 65).Select(n => Spec(Auth(Filled(65, 4), new byte[n]), false, $"signature of {n} bytes")),
            Gen.OneOfConst(0x00, 0x02, 0x03, 0x05, 0xFF).Select(b => Spec(Auth(Filled(65, 4).Select((x, i) => i == 0 ? (byte)b : x).ToArray(), new byte[64]), false, $"key of form 0x{b:x2}")),
            Gen.Const(Spec(Auth(Filled(65, 4), null), false, "a key without its signature")),
            Gen.Const(Spec(Auth(null, new byte[64]), false, "a signature without its key")),
            Gen.OneOfConst(1, 20, 31, 33).Select(n => Spec(Frame("members", ("members", $"[{{\"id\":\"{new string('a', 32)}\",\"user\":\"u\",\"endpoint\":\"h:1\",\"since\":1,\"fingerprint\":{Json.Str(Convert.ToBase64String(new byte[n]))}}}]")), false, $"fingerprint of {n} bytes")),
            Gen.Const(Spec(Frame("intro", ("user", "\"u\""), ("port", "0"), ("since", "0")), false, "intro port 0")),
            Gen.Const(Spec(Frame("members", ("members", $"[{{\"id\":\"{new string('a', 32)}\",\"user\":\"u\",\"endpoint\":\"h:0\",\"since\":1}}]")), false, "member port 0")),
            Gen.OneOfConst((0L, 5L), (5L, 4L), (-1L, 5L), (1L, -1L)).Select(g => Spec(Frame("gap", ("origin", Json.Str(new string('b', 32))), ("from", Json.Num(g.Item1)), ("to", Json.Num(g.Item2))), false, $"gap {g.Item1}..{g.Item2}")),
            Gen.OneOfConst(-1L, long.MinValue).Select(c => Spec(Frame("digest", ("seen", $"[{{\"origin\":\"{new string('c', 32)}\",\"contiguous\":{c}}}]")), false, $"contiguous {c}")),
            Gen.OneOfConst(2147483648L, 4294967295L).Select(m => Spec(Frame("history-request", ("max", Json.Num(m)), ("since", "0")), false, $"history max {m}")),
            Gen.OneOfConst(MaxUnixMs + 1, MinUnixMs - 1).Select(s => Spec(Frame("history-request", ("max", "1"), ("since", Json.Num(s))), false, $"history since {s}")));

        /// <summary>An auth frame with no proof, and the key and signature given (a field left out when null).</summary>
        private static string Auth(byte[]? key, byte[]? signature) => Frame("auth", new[] { ("proof", "\"\"") }
            .Concat(key != null ? new[] { ("key", Json.Str(Convert.ToBase64String(key))) } : Array.Empty<(string, string)>())
            .Concat(signature != null ? new[] { ("signature", Json.Str(Convert.ToBase64String(signature))) } : Array.Empty<(string, string)>()).ToArray());

        private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

        private static string Msg(string text = "hi", long seq = 1, long at = 0, string[]? to = null) =>
            Frame("msg", new[] { ("origin", Json.Str(new string('d', 32))), ("seq", Json.Num(seq)), ("at", Json.Num(at)), ("text", Json.Str(text)) }
                .Concat(to != null ? new[] { ("to", Json.Arr(to.Select(Json.Str))) } : Array.Empty<(string, string)>()).ToArray());

        /// <summary>A change to a valid frame's bytes that always makes it invalid, or null when the frame has no such field.</summary>
        private delegate (byte[] Payload, string What)? Mutation(byte[] payload, IReadOnlyList<TestWire.Span> spans, PCG random);

        private static int Pick(PCG random, int count) => (int)random.Next((uint)count);

        private static (byte[], string)? At(byte[] payload, IReadOnlyList<TestWire.Span> spans, PCG random, Func<TestWire.Span, bool> which, Func<byte[], TestWire.Span, string?> change)
        {
            var candidates = spans.Where(which).ToList();
            if (candidates.Count == 0) return null;
            var span = candidates[Pick(random, candidates.Count)];
            var copy = payload.ToArray();
            string? what = change(copy, span);
            return what == null ? null : (copy, what);
        }

        private static readonly Mutation[] Mutations =
        {
            (p, s, r) => { int cut = Pick(r, p.Length); return (p.Take(cut).ToArray(), $"cut to {cut} bytes"); },
            (p, s, r) => { int n = 1 + Pick(r, 8); return (p.Concat(Enumerable.Repeat((byte)r.Next(256), n)).ToArray(), $"{n} trailing bytes"); },
            (p, s, r) =>
            {
                var unknown = Enumerable.Range(0, 256).Select(b => (byte)b).Where(b => !TestWire.Types.ContainsValue(b)).ToArray();
                byte type = unknown[Pick(r, unknown.Length)];
                var copy = p.ToArray();
                copy[0] = type;
                return (copy, $"type 0x{type:x2}");
            },
            (p, s, r) => At(p, s, r, x => x.Kind == "flags", (c, x) => { int bit = 8 << Pick(r, 5); c[x.Offset] |= (byte)bit; return $"flag 0x{bit:x2}"; }),
            (p, s, r) => At(p, s, r, x => x.Length > 0, (c, x) => { int at = x.Offset + Pick(r, x.Length); c[at] = 0xFF; return $"0xFF in a {x.Kind} at {at}"; }),
            (p, s, r) => At(p, s, r, x => x.Length > 0 && (x.Kind == "name" || x.Kind == "host"), (c, x) =>
            {
                byte bad = new byte[] { 0x00, 0x07, 0x09, 0x0A, 0x1B, 0x20, 0x7F }[Pick(r, 7)];
                int at = x.Offset + Pick(r, x.Length);
                c[at] = bad;
                return $"0x{bad:x2} in a {x.Kind} at {at}";
            }),
            (p, s, r) => At(p, s, r, x => x.Length > 0 && x.Kind == "code", (c, x) => { int at = x.Offset + Pick(r, x.Length); c[at] = (byte)'A'; return $"'A' in the code at {at}"; }),
            (p, s, r) => At(p, s, r, x => x.Kind == "count16" || x.Kind == "count8", (c, x) =>
            {
                bool wide = x.Kind == "count16";
                int count = wide ? (c[x.Offset] << 8) | c[x.Offset + 1] : c[x.Offset];
                int changed = count > 0 && r.Next(2) == 0 ? count - 1 : count + 1;
                if (changed > (wide ? 65535 : 255)) return null;
                if (wide) { c[x.Offset] = (byte)(changed >> 8); c[x.Offset + 1] = (byte)changed; } else c[x.Offset] = (byte)changed;
                return $"count {count} made {changed}";
            }),
            (p, s, r) => At(p, s, r, x => x.Kind == "digest-length", (c, x) => { byte n = new byte[] { 1, 16, 31, 33, 255 }[Pick(r, 5)]; c[x.Offset] = n; return $"digest length {n}"; }),
            (p, s, r) => At(p, s, r, x => x.Kind == "seq" || x.Kind == "count64", (c, x) =>
            {
                bool zero = x.Kind == "seq" && r.Next(2) == 0;
                for (int i = 0; i < 8; i++) c[x.Offset + i] = zero ? (byte)0 : (byte)(i == 0 ? 0x80 | r.Next(128) : r.Next(256));
                return zero ? "sequence 0" : "a 64-bit count above 2^63-1";
            }),
            (p, s, r) => At(p, s, r, x => x.Kind == "port", (c, x) => { c[x.Offset] = 0; c[x.Offset + 1] = 0; return "port 0"; }),
        };

        /// <summary>A valid frame broken by one to three of the mutations above: every result must be refused.</summary>
        public static readonly Gen<WireSpec> Mutated =
            from spelling in Gen.OneOfConst(Types).SelectMany(t => ValidSpelling[t])
            from picks in Gen.Int[0, Mutations.Length - 1].Array[1, 3].Select(p => p.Distinct().ToArray())
            from seed in Gen.ULong
            select Break(spelling, picks, seed);

        private static WireSpec Break(string spelling, int[] picks, ulong seed)
        {
            var random = new PCG(7, seed);
            var payload = TestWire.Encode(spelling, out var spans);
            var what = new List<string>();
            foreach (int pick in picks)
            {
                // Offsets hold only for the frame as written: a later change that moves bytes (a cut, a new tail) comes last.
                var changed = Mutations[pick](payload, spans, random);
                if (changed == null) continue;
                payload = changed.Value.Payload;
                what.Add(changed.Value.What);
                if (pick <= 1) break;
            }
            if (what.Count == 0)
            {
                payload = payload.Concat(new byte[] { 0 }).ToArray();
                what.Add("1 trailing byte");
            }
            using var doc = JsonDocument.Parse(spelling);
            return new WireSpec(doc.RootElement.GetProperty("type").GetString()!, spelling, payload, false, string.Join("; ", what));
        }
    }
}
