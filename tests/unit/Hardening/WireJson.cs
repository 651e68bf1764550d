using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>One field of a frame as JSON text; <paramref name="Bad"/> when its value is one the decoder must refuse.</summary>
    public sealed record WireField(string Name, string Json, bool Bad = false);

    /// <summary>
    /// A frame written as a list of fields, with what the decoder must make of it. Built independently of the engine's
    /// encoder (from docs/protocol.md's shapes) so that the decoder is checked against the protocol, not against itself.
    /// </summary>
    public sealed record WireSpec(string Type, IReadOnlyList<WireField> Fields, bool Valid, string Mutations)
    {
        public string ToJson() => "{" + string.Join(",", Fields.Select(f => Json.Str(f.Name) + ":" + f.Json)) + "}";

        public byte[] ToUtf8() => Encoding.UTF8.GetBytes(ToJson());

        public string? Value(string name) => Fields.FirstOrDefault(f => f.Name == name)?.Json;

        public override string ToString() => $"{(Valid ? "valid" : "invalid")} [{Mutations}] {Shorten(ToJson())}";

        private static string Shorten(string s) => s.Length <= 600 ? s : s.Substring(0, 600) + $"… ({s.Length} chars)";
    }

    /// <summary>JSON text helpers: escaping as a sender would, keeping non-ASCII text as UTF-8.</summary>
    public static class Json
    {
        private static readonly JsonSerializerOptions Relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static string Str(string s) => JsonSerializer.Serialize(s, Relaxed);

        public static string Num(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public static string Arr(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";

        public static string Obj(IEnumerable<(string Name, string Json)> fields) => "{" + string.Join(",", fields.Select(f => Str(f.Name) + ":" + f.Json)) + "}";
    }

    /// <summary>Generators of frames: valid ones, and valid ones broken in the ways the decoder must refuse.</summary>
    public static class WireGen
    {
        /// <summary>The earliest and latest Unix milliseconds a DateTimeOffset can hold.</summary>
        public const long MinUnixMs = -62_135_596_800_000L, MaxUnixMs = 253_402_300_799_999L;

        // Text of every kind that is valid UTF-16: ASCII, the whole BMP outside the surrogates, and pairs (emoji).
        public static readonly Gen<string> Text = Gen.OneOf(
            Gen.String[Gen.Char.AlphaNumeric, 0, 12],
            Gen.String[Gen.Char['\u0000', '\uD7FF'], 0, 12],
            Gen.String[Gen.Char['\uE000', '\uFFFD'], 0, 6],
            Gen.Int[0x1F300, 0x1FAFF].Array[1, 4].Select(cps => string.Concat(cps.Select(char.ConvertFromUtf32))));

        private static readonly Gen<string> Base64 = Gen.Byte.Array[0, 40].Select(b => Json.Str(Convert.ToBase64String(b)));

        private static readonly Gen<string> Endpoint = Gen.OneOf(
            Gen.Int[1, 65535].Select(p => $"127.0.0.1:{p}"),
            Gen.Int[1, 65535].Select(p => $"[::1]:{p}"),
            Gen.String[Gen.Char.AlphaNumeric, 1, 10].Select(Gen.Int[1, 65535], (h, p) => $"{h}:{p}"));

        private static readonly Gen<string> Member =
            from id in Text
            from user in Text
            from endpoint in Endpoint
            from since in Gen.Long
            from order in Gen.Int[0, 23]
            select Json.Obj(Permute(new[] { ("id", Json.Str(id)), ("user", Json.Str(user)), ("endpoint", Json.Str(endpoint)), ("since", Json.Num(since)) }, order));

        /// <summary>Valid values for each field.</summary>
        public static readonly IReadOnlyDictionary<string, Gen<string>> ValidValue = new Dictionary<string, Gen<string>>
        {
            ["version"] = Gen.Int.Select(v => Json.Num(v)),
            ["id"] = Text.Select(Json.Str),
            ["user"] = Text.Select(Json.Str),
            ["port"] = Gen.Int[1, 65535].Select(p => Json.Num(p)),
            ["since"] = Gen.Long.Select(Json.Num),
            ["nonce"] = Base64,
            ["proof"] = Base64,
            ["code"] = Text.Select(Json.Str),
            ["reason"] = Text.Select(Json.Str),
            ["members"] = Member.Array[0, 4].Select(Json.Arr),
            ["seq"] = Gen.Long[1, long.MaxValue].Select(Json.Num),
            ["at"] = Gen.OneOf(Gen.Long[MinUnixMs, MaxUnixMs], Gen.Const(MinUnixMs), Gen.Const(MaxUnixMs), Gen.Const(0L)).Select(Json.Num),
            ["text"] = Text.Select(Json.Str),
            ["to"] = Text.Select(Json.Str).Array[0, 3].Select(Json.Arr),
            ["action"] = Gen.Bool.Select(b => b ? "true" : "false"),
        };

        private static readonly string[] NotAString = { "1", "null", "true", "[]", "{}", "-0.5" };
        private static readonly string[] NotAnInt = { "1.5", "\"1\"", "null", "true", "[]", "{}", "1e400", "99999999999999999999" };

        /// <summary>Values of the right JSON kind but outside what the field allows, or of the wrong kind.</summary>
        public static readonly IReadOnlyDictionary<string, string[]> InvalidValue = new Dictionary<string, string[]>
        {
            ["type"] = NotAString,
            ["version"] = NotAnInt.Concat(new[] { "2147483648", "-2147483649" }).ToArray(),
            ["id"] = NotAString,
            ["user"] = NotAString,
            ["port"] = NotAnInt.Concat(new[] { "0", "65536", "-1", "80.0" }).ToArray(),
            ["since"] = NotAnInt,
            ["nonce"] = new[] { "\"not base64!\"", "\"AAA\"", "5", "null", "[]" },
            ["proof"] = new[] { "\"%%%%\"", "7", "null", "{}" },
            ["code"] = NotAString,
            ["reason"] = NotAString,
            ["members"] = new[]
            {
                "{}", "[1]", "[null]", "\"x\"", "[[]]",
                "[{\"id\":\"a\",\"user\":\"b\",\"since\":1}]",
                "[{\"id\":\"a\",\"user\":\"b\",\"endpoint\":\"nohostport\",\"since\":1}]",
                "[{\"id\":\"a\",\"user\":\"b\",\"endpoint\":\"h:1\",\"since\":1,\"extra\":1}]",
                "[{\"id\":\"a\",\"id\":\"a\",\"user\":\"b\",\"endpoint\":\"h:1\",\"since\":1}]",
                "[{\"id\":1,\"user\":\"b\",\"endpoint\":\"h:1\",\"since\":1}]",
                "[{\"id\":\"a\",\"user\":\"b\",\"endpoint\":\"h:1\",\"since\":\"1\"}]",
            },
            ["seq"] = NotAnInt.Concat(new[] { "0", "-5" }).ToArray(),
            ["at"] = NotAnInt.Concat(new[] { Json.Num(MaxUnixMs + 1), Json.Num(MinUnixMs - 1), Json.Num(long.MaxValue), Json.Num(long.MinValue) }).ToArray(),
            ["text"] = NotAString,
            ["to"] = new[] { "\"bob\"", "[1]", "[null]", "{}", "[[\"a\"]]" },
            ["action"] = new[] { "\"true\"", "1", "null", "[]" },
        };

        /// <summary>Each frame type with its required and optional fields (docs/protocol.md).</summary>
        public static readonly IReadOnlyDictionary<string, (string[] Required, string[] Optional)> Shapes = new Dictionary<string, (string[], string[])>
        {
            ["hello"] = (new[] { "version", "id", "user", "port", "since", "nonce" }, Array.Empty<string>()),
            ["auth"] = (new[] { "proof" }, Array.Empty<string>()),
            ["accept"] = (Array.Empty<string>(), Array.Empty<string>()),
            ["welcome"] = (Array.Empty<string>(), Array.Empty<string>()),
            ["refuse"] = (new[] { "code", "reason" }, Array.Empty<string>()),
            ["members"] = (new[] { "members" }, Array.Empty<string>()),
            ["msg"] = (new[] { "id", "seq", "at", "text" }, new[] { "to", "action" }),
            ["ping"] = (Array.Empty<string>(), Array.Empty<string>()),
            ["leave"] = (Array.Empty<string>(), new[] { "reason" }),
        };

        public static readonly string[] KnownFields = ValidValue.Keys.Append("type").ToArray();

        /// <summary>A valid frame of any type, its optional fields present or not, its fields in any order.</summary>
        public static readonly Gen<WireSpec> Valid =
            from type in Gen.OneOfConst(Shapes.Keys.ToArray())
            from optional in Gen.Bool.Array[2]
            let names = Shapes[type].Required.Concat(Shapes[type].Optional.Where((_, i) => optional[i])).ToArray()
            from values in Sequence(names.Select(n => ValidValue[n]))
            from shuffle in Gen.Int.Array[names.Length + 1]
            let fields = names.Zip(values, (n, v) => new WireField(n, v)).Prepend(new WireField("type", Json.Str(type))).ToArray()
            select new WireSpec(type, Shuffle(fields, shuffle), true, "");

        /// <summary>A change to a frame's fields; whether the result is still valid is worked out from the fields alone.</summary>
        private delegate (List<WireField> Fields, string What) Mutation(WireSpec spec, List<WireField> fields, PCG random);

        private static readonly Mutation[] Mutations =
        {
            (spec, f, r) =>
            {
                var required = f.Where(x => x.Name == "type" || Shapes[spec.Type].Required.Contains(x.Name)).ToList();
                if (required.Count == 0) return (f, "");
                var drop = required[(int)r.Next((uint)required.Count)];
                return (f.Where(x => !ReferenceEquals(x, drop)).ToList(), $"drop required {drop.Name}");
            },
            (spec, f, r) =>
            {
                var optional = f.Where(x => Shapes[spec.Type].Optional.Contains(x.Name)).ToList();
                if (optional.Count == 0) return (f, "");
                var drop = optional[(int)r.Next((uint)optional.Count)];
                return (f.Where(x => !ReferenceEquals(x, drop)).ToList(), $"drop optional {drop.Name}");
            },
            (spec, f, r) =>
            {
                string name = "x" + r.Next(1_000_000);
                return (Insert(f, new WireField(name, "1"), r), $"add unknown {name}");
            },
            (spec, f, r) =>
            {
                var foreign = KnownFields.Where(n => n != "type" && !Shapes[spec.Type].Required.Contains(n) && !Shapes[spec.Type].Optional.Contains(n)).ToArray();
                if (foreign.Length == 0) return (f, "");
                string name = foreign[(int)r.Next((uint)foreign.Length)];
                return (Insert(f, new WireField(name, ValidValue[name].Generate(r, null, out _)), r), $"add field {name} that a {spec.Type} may not carry");
            },
            (spec, f, r) =>
            {
                if (f.Count == 0) return (f, "");
                var twice = f[(int)r.Next((uint)f.Count)];
                return (Insert(f, twice with { }, r), $"repeat {twice.Name}");
            },
            (spec, f, r) =>
            {
                var candidates = f.Where(x => InvalidValue.ContainsKey(x.Name)).ToList();
                if (candidates.Count == 0) return (f, "");
                var field = candidates[(int)r.Next((uint)candidates.Count)];
                var bad = InvalidValue[field.Name];
                string value = bad[(int)r.Next((uint)bad.Length)];
                return (f.Select(x => ReferenceEquals(x, field) ? new WireField(x.Name, value, Bad: true) : x).ToList(), $"{field.Name}={value}");
            },
            (spec, f, r) =>
            {
                string[] unknownTypes = { "HELLO", "Msg", "hello ", "", "pong", "join" };
                string type = unknownTypes[(int)r.Next((uint)unknownTypes.Length)];
                return (f.Select(x => x.Name == "type" ? new WireField("type", Json.Str(type), Bad: true) : x).ToList(), $"type '{type}'");
            },
        };

        /// <summary>A valid frame with up to three mutations; <see cref="WireSpec.Valid"/> says what the decoder must do.</summary>
        public static readonly Gen<WireSpec> Mutated =
            from spec in Valid
            from count in Gen.Int[0, 3]
            from picks in Gen.Int[0, Mutations.Length - 1].Array[count]
            from seed in Gen.ULong
            select Apply(spec, picks, seed);

        private static WireSpec Apply(WireSpec spec, int[] picks, ulong seed)
        {
            var random = new PCG(7, seed);
            var fields = spec.Fields.ToList();
            var what = new List<string>();
            foreach (int pick in picks)
            {
                var (changed, description) = Mutations[pick](spec, fields, random);
                fields = changed;
                if (description.Length > 0) what.Add(description);
            }
            return new WireSpec(spec.Type, fields, IsValid(spec.Type, fields), string.Join("; ", what));
        }

        /// <summary>The protocol's rule: one of each field the type requires, any it allows, nothing else, each value sound.</summary>
        private static bool IsValid(string type, List<WireField> fields)
        {
            var (required, optional) = Shapes[type];
            var names = fields.Select(x => x.Name).ToList();
            return fields.All(x => !x.Bad)
                && names.Distinct().Count() == names.Count
                && names.Contains("type")
                && required.All(names.Contains)
                && names.All(n => n == "type" || required.Contains(n) || optional.Contains(n));
        }

        /// <summary>One value from each generator, in order.</summary>
        public static Gen<string[]> Sequence(IEnumerable<Gen<string>> gens) =>
            gens.Aggregate(Gen.Const(Array.Empty<string>()), (all, next) => from a in all from v in next select a.Append(v).ToArray());

        private static List<WireField> Insert(List<WireField> fields, WireField field, PCG random)
        {
            var copy = fields.ToList();
            copy.Insert((int)random.Next((uint)(copy.Count + 1)), field);
            return copy;
        }

        private static WireField[] Shuffle(WireField[] fields, int[] keys) =>
            fields.Select((f, i) => (f, k: keys[i])).OrderBy(p => p.k).Select(p => p.f).ToArray();

        private static IEnumerable<(string, string)> Permute((string, string)[] items, int order)
        {
            var rest = items.ToList();
            var result = new List<(string, string)>();
            for (int n = rest.Count; n > 0; n--)
            {
                result.Add(rest[order % n]);
                rest.RemoveAt(order % n);
                order /= n;
            }
            return result;
        }
    }
}
