using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace PSGroupChat.Tests.Protocol
{
    /// <summary>
    /// Protocol 2's frames written and read by hand from docs/protocol.md, without the engine's codec, so that tests check
    /// the engine against the protocol rather than against itself. Frames are spelled as small JSON objects with the
    /// field names of the docs (hello: id, nonce; msg: origin, seq, at, text, to, action, history; ...), byte strings
    /// in base64, peer ids as 32 hex digits; <see cref="Encode"/> turns one into a payload, <see cref="Read"/> back.
    /// </summary>
    public static class TestWire
    {
        public static readonly Dictionary<string, byte> Types = new Dictionary<string, byte>
        {
            ["hello"] = 0x01, ["auth"] = 0x02, ["intro"] = 0x03, ["accept"] = 0x04, ["welcome"] = 0x05, ["refuse"] = 0x06,
            ["members"] = 0x07, ["msg"] = 0x10, ["ping"] = 0x11, ["digest"] = 0x12, ["gap"] = 0x13, ["history-request"] = 0x14,
            ["leave"] = 0x15,
        };

        /// <summary>The payload (type byte first) a JSON spelling stands for. Writes whatever it is given, valid or not.</summary>
        public static byte[] Encode(string json) => Encode(json, out _);

        /// <summary>As <see cref="Encode(string)"/>, also saying where each field went, so that a test can break one on purpose.</summary>
        public static byte[] Encode(string json, out IReadOnlyList<Span> spans)
        {
            using var doc = JsonDocument.Parse(json);
            var f = doc.RootElement;
            var w = new Writer();
            string type = f.GetProperty("type").GetString()!;
            w.U8(Types[type]);
            switch (type)
            {
                case "hello": w.Id(f, "id"); w.Raw(B64(f, "nonce")); break;
                case "auth":
                    foreach (var field in new[] { "proof", "key", "signature" })
                    {
                        w.Mark("digest-length"); // every length but the field's one and 0 is refused
                        w.Bytes8(f.TryGetProperty(field, out _) ? B64(f, field) : Array.Empty<byte>());
                    }
                    break;
                case "intro": w.Str8(S(f, "user"), "name"); w.Mark("port"); w.U16(I(f, "port")); w.I64(L(f, "since")); break;
                case "refuse": w.Str8(S(f, "code"), "code"); w.Str16(S(f, "reason"), "text"); break;
                case "members":
                    var members = f.GetProperty("members").EnumerateArray().ToList();
                    w.Mark("count16");
                    w.U16(members.Count);
                    foreach (var m in members)
                    {
                        w.Id(m, "id");
                        w.Str8(S(m, "user"), "name");
                        var endpoint = S(m, "endpoint");
                        int colon = endpoint.LastIndexOf(':');
                        w.Str8(endpoint.Substring(0, colon).Trim('[', ']'), "host");
                        w.Mark("port");
                        w.U16(int.Parse(endpoint.Substring(colon + 1)));
                        w.I64(L(m, "since"));
                        w.Mark("digest-length");
                        w.Bytes8(m.TryGetProperty("fingerprint", out _) ? B64(m, "fingerprint") : Array.Empty<byte>());
                    }
                    break;
                case "msg":
                    var to = f.TryGetProperty("to", out var t) ? t.EnumerateArray().Select(e => e.GetString()!).ToList() : new List<string>();
                    int flags = (Flag(f, "action") ? 1 : 0) | (Flag(f, "history") ? 2 : 0) | (to.Count > 0 ? 4 : 0);
                    w.Mark("flags");
                    w.U8(flags);
                    w.Id(f, "origin");
                    w.Mark("seq");
                    w.I64(L(f, "seq"));
                    w.Mark("time");
                    w.I64(L(f, "at"));
                    if (to.Count > 0)
                    {
                        w.Mark("count8");
                        w.U8(to.Count);
                        foreach (var name in to) w.Str8(name, "name");
                    }
                    w.Str16(S(f, "text"), "text");
                    break;
                case "digest":
                    var seen = f.GetProperty("seen").EnumerateArray().ToList();
                    w.Mark("count16");
                    w.U16(seen.Count);
                    foreach (var mark in seen)
                    {
                        w.Id(mark, "origin");
                        w.Mark("count64");
                        w.I64(L(mark, "contiguous"));
                    }
                    w.Mark("count64");
                    w.I64(f.TryGetProperty("direct", out var direct) ? direct.GetInt64() : 0);
                    break;
                case "gap":
                    w.Id(f, "origin"); w.Mark("seq"); w.I64(L(f, "from")); w.Mark("seq"); w.I64(L(f, "to"));
                    w.U8(Flag(f, "direct") ? 1 : 0);
                    break;
                case "history-request": w.Mark("count32"); w.U32((uint)L(f, "max")); w.Mark("time"); w.I64(L(f, "since")); break;
                case "leave": w.Str16(f.TryGetProperty("reason", out var r) ? r.GetString()! : "", "text"); break;
            }
            spans = w.Spans;
            return w.ToArray();
        }

        /// <summary>A whole frame: the 4-byte big-endian length, then the payload.</summary>
        public static byte[] Frame(byte[] payload)
        {
            var frame = new byte[4 + payload.Length];
            BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
            payload.CopyTo(frame, 4);
            return frame;
        }

        public static byte[] Frame(string json) => Frame(Encode(json));

        /// <summary>A payload the engine sent, spelled as JSON. Throws <see cref="InvalidDataException"/> when it is not a frame of protocol 2.</summary>
        public static JsonElement Read(byte[] payload)
        {
            var r = new Reader(payload);
            var buffer = new MemoryStream();
            using (var j = new Utf8JsonWriter(buffer))
            {
                j.WriteStartObject();
                byte code = (byte)r.U8();
                string type = Types.FirstOrDefault(p => p.Value == code).Key ?? throw new InvalidDataException($"unknown frame type 0x{code:x2}");
                j.WriteString("type", type);
                switch (type)
                {
                    case "hello": j.WriteString("id", r.Id()); j.WriteBase64String("nonce", r.Raw(16)); break;
                    case "auth":
                        j.WriteBase64String("proof", r.Raw(r.U8()));
                        var key = r.Raw(r.U8());
                        var signature = r.Raw(r.U8());
                        if (key.Length > 0) j.WriteBase64String("key", key);
                        if (signature.Length > 0) j.WriteBase64String("signature", signature);
                        break;
                    case "intro": j.WriteString("user", r.Str(r.U8())); j.WriteNumber("port", r.U16()); j.WriteNumber("since", r.I64()); break;
                    case "refuse": j.WriteString("code", r.Str(r.U8())); j.WriteString("reason", r.Str(r.U16())); break;
                    case "members":
                        int count = r.U16();
                        j.WriteStartArray("members");
                        for (int i = 0; i < count; i++)
                        {
                            j.WriteStartObject();
                            j.WriteString("id", r.Id());
                            j.WriteString("user", r.Str(r.U8()));
                            string host = r.Str(r.U8());
                            int port = r.U16();
                            j.WriteString("endpoint", host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}");
                            j.WriteNumber("since", r.I64());
                            j.WriteBase64String("fingerprint", r.Raw(r.U8()));
                            j.WriteEndObject();
                        }
                        j.WriteEndArray();
                        break;
                    case "msg":
                        int flags = r.U8();
                        if ((flags & ~7) != 0) throw new InvalidDataException($"unknown flags {flags}");
                        j.WriteString("origin", r.Id());
                        j.WriteNumber("seq", r.I64());
                        j.WriteNumber("at", r.I64());
                        if ((flags & 4) != 0)
                        {
                            int n = r.U8();
                            j.WriteStartArray("to");
                            for (int i = 0; i < n; i++) j.WriteStringValue(r.Str(r.U8()));
                            j.WriteEndArray();
                        }
                        j.WriteString("text", r.Str(r.U16()));
                        j.WriteBoolean("action", (flags & 1) != 0);
                        j.WriteBoolean("history", (flags & 2) != 0);
                        break;
                    case "digest":
                        int marks = r.U16();
                        j.WriteStartArray("seen");
                        for (int i = 0; i < marks; i++)
                        {
                            j.WriteStartObject();
                            j.WriteString("origin", r.Id());
                            j.WriteNumber("contiguous", r.I64());
                            j.WriteEndObject();
                        }
                        j.WriteEndArray();
                        j.WriteNumber("direct", r.I64());
                        break;
                    case "gap":
                        j.WriteString("origin", r.Id()); j.WriteNumber("from", r.I64()); j.WriteNumber("to", r.I64());
                        j.WriteBoolean("direct", r.U8() != 0);
                        break;
                    case "history-request": j.WriteNumber("max", r.U32()); j.WriteNumber("since", r.I64()); break;
                    case "leave": j.WriteString("reason", r.Str(r.U16())); break;
                }
                j.WriteEndObject();
                r.End();
            }
            return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
        }

        private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;
        private static long L(JsonElement e, string name) => e.GetProperty(name).GetInt64();
        private static int I(JsonElement e, string name) => e.GetProperty(name).GetInt32();
        private static byte[] B64(JsonElement e, string name) => e.GetProperty(name).GetBytesFromBase64();
        private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.GetBoolean();

        /// <summary>Where a field starts in a payload, and what kind of field it is (a string's span covers its bytes, not its length).</summary>
        public readonly record struct Span(int Offset, int Length, string Kind);

        /// <summary>Big-endian, with no checks: it must be able to write what the engine has to refuse.</summary>
        public sealed class Writer
        {
            private readonly List<byte> _bytes = new List<byte>();
            public List<Span> Spans { get; } = new List<Span>();
            public void Mark(string kind) => Spans.Add(new Span(_bytes.Count, 0, kind));
            public void Str8(string s, string kind) { var b = Encoding.UTF8.GetBytes(s); U8(b.Length); Spans.Add(new Span(_bytes.Count, b.Length, kind)); Raw(b); }
            public void Str16(string s, string kind) { var b = Encoding.UTF8.GetBytes(s); U16(b.Length); Spans.Add(new Span(_bytes.Count, b.Length, kind)); Raw(b); }
            public void U8(int v) => _bytes.Add((byte)v);
            public void U16(int v) { U8(v >> 8); U8(v); }
            public void U32(uint v) { for (int s = 24; s >= 0; s -= 8) U8((int)(v >> s)); }
            public void I64(long v) { for (int s = 56; s >= 0; s -= 8) U8((int)(v >> s)); }
            public void Raw(byte[] b) => _bytes.AddRange(b);
            public void Bytes8(byte[] b) { U8(b.Length); Raw(b); }
            public void Str8(string s) => Bytes8(Encoding.UTF8.GetBytes(s));
            public void Str16(string s) { var b = Encoding.UTF8.GetBytes(s); U16(b.Length); Raw(b); }
            public void Id(JsonElement e, string name) => Raw(Convert.FromHexString(S(e, name)));
            public byte[] ToArray() => _bytes.ToArray();
        }

        private sealed class Reader
        {
            private static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);
            private readonly byte[] _payload;
            private int _at;
            public Reader(byte[] payload) => _payload = payload;
            public byte[] Raw(int n)
            {
                if (_at + n > _payload.Length) throw new InvalidDataException("the frame is cut short");
                var b = _payload.AsSpan(_at, n).ToArray();
                _at += n;
                return b;
            }
            public int U8() => Raw(1)[0];
            public int U16() => BinaryPrimitives.ReadUInt16BigEndian(Raw(2));
            public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Raw(4));
            public long I64() => BinaryPrimitives.ReadInt64BigEndian(Raw(8));
            public string Id() => Convert.ToHexString(Raw(16)).ToLowerInvariant();
            public string Str(int n) => Strict.GetString(Raw(n));
            public void End()
            {
                if (_at != _payload.Length) throw new InvalidDataException($"{_payload.Length - _at} bytes after the frame");
            }
        }
    }
}
