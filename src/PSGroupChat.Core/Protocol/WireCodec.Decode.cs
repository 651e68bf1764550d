using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace PSGroupChat.Protocol
{
    // Decoding: strict, because anything may arrive on a listening port.
    internal static partial class WireCodec
    {
        // ---- decoding -------------------------------------------------------------------------------------------

        /// <summary>Decodes one payload. Every way it can be wrong ends in <see cref="WireProtocolException"/>.</summary>
        public static Frame Decode(ReadOnlySpan<byte> payload)
        {
            try
            {
                return DecodeUnchecked(payload);
            }
            catch (WireProtocolException)
            {
                throw;
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is FormatException || e is ArgumentException || e is DecoderFallbackException)
            {
                // The parser's message quotes the offending bytes, as many as there are: bound it and keep it printable,
                // because it becomes a logged reason that -Verbose writes to a console.
                throw new WireProtocolException("malformed frame: " + RemoteText.Printable(e.Message, 160), e);
            }
        }

        private static Frame DecodeUnchecked(ReadOnlySpan<byte> payload)
        {
            var reader = new Utf8JsonReader(payload, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Violation("a frame must be a JSON object");

            var f = new Fields();
            var seen = new FieldSet();
            string? type = null;
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject) break;
                if (reader.TokenType != JsonTokenType.PropertyName) throw Violation("expected a property name");
                string name = WireNames.Read(ref reader);
                seen.Add(name);
                Next(ref reader);
                switch (name)
                {
                    case "type": type = reader.TokenType == JsonTokenType.String ? WireNames.Read(ref reader) : throw Violation($"'{name}' must be a string"); break;
                    case "version": f.Version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int v) ? v : throw Violation("'version' must be an integer"); break;
                    case "id": f.Id = String(ref reader, name); break;
                    case "user": f.UserName = String(ref reader, name); break;
                    case "port": f.ListenPort = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int p) && p >= 1 && p <= 65535 ? p : throw Violation("'port' must be a port number"); break;
                    case "since": f.Since = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long since) ? since : throw Violation("'since' must be an integer"); break;
                    case "nonce": f.Nonce = Bytes(ref reader, name); break;
                    case "proof": f.Proof = Bytes(ref reader, name); break;
                    case "code": f.Code = String(ref reader, name); break;
                    case "reason": f.Reason = String(ref reader, name); break;
                    case "seq": f.Sequence = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long s) && s > 0 ? s : throw Violation("'seq' must be a positive integer"); break;
                    case "at": f.SentAtUnixMs = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long at) && at >= MinUnixMs && at <= MaxUnixMs ? at : throw Violation("'at' must be Unix milliseconds between the years 1 and 9999"); break;
                    case "text": f.Text = String(ref reader, name); break;
                    case "action": f.Action = reader.TokenType == JsonTokenType.True || (reader.TokenType == JsonTokenType.False ? false : throw Violation("'action' must be a boolean")); break;
                    case "to": f.To = StringArray(ref reader, name); break;
                    case "members": f.Members = Members(ref reader); break;
                    case "history": f.History = reader.TokenType == JsonTokenType.True || (reader.TokenType == JsonTokenType.False ? false : throw Violation("'history' must be a boolean")); break;
                    case "seen": f.Seen = Seen(ref reader); break;
                    case "direct":
                        if (reader.TokenType == JsonTokenType.True) f.DirectFlag = true;
                        else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long d) && d >= 0) f.Direct = d;
                        else throw Violation("'direct' must be a count or true");
                        break;
                    case "from": f.From = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long from) && from > 0 ? from : throw Violation("'from' must be a positive integer"); break;
                    case "until": f.Until = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long until) && until > 0 ? until : throw Violation("'until' must be a positive integer"); break;
                    case "max": f.Max = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int max) && max >= 0 ? max : throw Violation("'max' must be a count"); break;
                    default: throw Violation($"unknown field '{Shorten(name)}'");
                }
            }
            if (reader.Read()) throw Violation("data after the end of the frame");

            return type switch
            {
                "hello" => Require(new HelloFrame(f.Version, f.Id ?? "", f.UserName ?? "", f.ListenPort, f.Since, f.Nonce ?? Array.Empty<byte>()), seen, FieldSet.Type | FieldSet.Version | FieldSet.Id | FieldSet.User | FieldSet.Port | FieldSet.Since | FieldSet.Nonce),
                "auth" => Require(new AuthFrame(f.Proof ?? Array.Empty<byte>()), seen, FieldSet.Type | FieldSet.Proof),
                "accept" => Require(new AcceptFrame(), seen, FieldSet.Type),
                "welcome" => Require(new WelcomeFrame(), seen, FieldSet.Type),
                "refuse" => Require(new RefuseFrame(f.Code ?? "", f.Reason ?? ""), seen, FieldSet.Type | FieldSet.Code | FieldSet.Reason),
                "members" => Require(new MembersFrame(f.Members ?? new List<MemberAnnouncement>()), seen, FieldSet.Type | FieldSet.Members),
                "msg" => Require(new MessageFrame(f.Id ?? "", f.Sequence, f.SentAtUnixMs, f.Text ?? "", f.To, f.Action, f.History), seen, FieldSet.Type | FieldSet.Id | FieldSet.Seq | FieldSet.At | FieldSet.Text, FieldSet.To | FieldSet.Action | FieldSet.History),
                "digest" => Require(new DigestFrame(f.Seen ?? new List<SeenMark>(), f.Direct), seen, FieldSet.Type | FieldSet.Seen | FieldSet.Direct),
                "gap" => f.Until < f.From ? throw Violation("a gap must not end before it begins")
                    : Require(new GapFrame(f.Id ?? "", f.From, f.Until, f.DirectFlag), seen, FieldSet.Type | FieldSet.Id | FieldSet.From | FieldSet.Until, FieldSet.Direct),
                "history" => Require(new HistoryRequestFrame(f.Max, f.Since), seen, FieldSet.Type | FieldSet.Max | FieldSet.Since),
                "ping" => Require(new PingFrame(), seen, FieldSet.Type),
                "leave" => Require(new LeaveFrame(f.Reason), seen, FieldSet.Type, FieldSet.Reason),
                null => throw Violation("the frame has no 'type'"),
                _ => throw Violation($"unknown frame type '{Shorten(type)}'"),
            };
        }

        private static Frame Require(Frame frame, FieldSet seen, int required, int optional = 0)
        {
            if ((seen.Bits & required) != required) throw Violation($"a '{frame.Name}' frame lacks a required field");
            if ((seen.Bits & ~(required | optional)) != 0) throw Violation($"a '{frame.Name}' frame carries a field it may not have");
            return frame;
        }

        /// <summary>The fields read so far; which of them a frame needs depends on its type, which may come last.</summary>
        private struct Fields
        {
            public int Version;
            public string? Id;
            public string? UserName;
            public int ListenPort;
            public long Since;
            public byte[]? Nonce;
            public byte[]? Proof;
            public string? Code;
            public string? Reason;
            public List<MemberAnnouncement>? Members;
            public long Sequence;
            public long SentAtUnixMs;
            public string? Text;
            public string[]? To;
            public bool Action;
            public bool History;
            public List<SeenMark>? Seen;
            public long Direct;
            public bool DirectFlag;
            public long From;
            public long Until;
            public int Max;
        }

        private static List<SeenMark> Seen(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw Violation("'seen' must be an array");
            var list = new List<SeenMark>();
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray) return list;
                if (reader.TokenType != JsonTokenType.StartObject) throw Violation("a mark must be an object");
                string? id = null;
                long? seq = null;
                while (true)
                {
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndObject) break;
                    string name = WireNames.Read(ref reader);
                    Next(ref reader);
                    switch (name)
                    {
                        case "id" when id == null: id = String(ref reader, name); break;
                        case "seq" when seq == null: seq = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long s) && s >= 0 ? s : throw Violation("'seq' must be a count"); break;
                        default: throw Violation($"unexpected mark field '{Shorten(name)}'");
                    }
                }
                if (id == null || seq == null) throw Violation("a mark needs 'id' and 'seq'");
                list.Add(new SeenMark(id, seq.Value));
            }
        }

        private static List<MemberAnnouncement> Members(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw Violation("'members' must be an array");
            var list = new List<MemberAnnouncement>();
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray) return list;
                if (reader.TokenType != JsonTokenType.StartObject) throw Violation("a member must be an object");
                string? id = null, user = null, endpoint = null;
                long? since = null;
                while (true)
                {
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndObject) break;
                    string name = WireNames.Read(ref reader);
                    Next(ref reader);
                    switch (name)
                    {
                        case "id" when id == null: id = String(ref reader, name); break;
                        case "user" when user == null: user = String(ref reader, name); break;
                        case "endpoint" when endpoint == null: endpoint = String(ref reader, name); break;
                        case "since" when since == null: since = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long s) ? s : throw Violation("'since' must be an integer"); break;
                        default: throw Violation($"unexpected member field '{Shorten(name)}'");
                    }
                }
                if (id == null || user == null || endpoint == null || since == null) throw Violation("a member needs 'id', 'user', 'endpoint' and 'since'");
                if (!ChatEndpoint.TryParse(endpoint, out var parsed)) throw Violation($"member endpoint '{Shorten(endpoint)}' is not host:port");
                list.Add(new MemberAnnouncement(id, user, parsed!, since.Value));
            }
        }

        private static string[] StringArray(ref Utf8JsonReader reader, string name)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw Violation($"'{name}' must be an array of strings");
            var list = new List<string>();
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray) return list.ToArray();
                list.Add(String(ref reader, name));
            }
        }

        private static string String(ref Utf8JsonReader reader, string name) =>
            reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Violation($"'{name}' must be a string");

        private static byte[] Bytes(ref Utf8JsonReader reader, string name) =>
            reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes) ? bytes! : throw Violation($"'{name}' must be base64");

        private static void Next(ref Utf8JsonReader reader)
        {
            if (!reader.Read()) throw Violation("the frame ends inside its JSON");
        }

        private static string Shorten(string text) => RemoteText.Printable(text, 40);

        private static WireProtocolException Violation(string message) => new WireProtocolException(message);

        /// <summary>Tracks which fields a frame carried, rejecting a field that appears twice.</summary>
        private struct FieldSet
        {
            public const int Type = 1, Version = 2, Id = 4, User = 8, Port = 16, Nonce = 32, Proof = 64, Code = 128, Reason = 256,
                Members = 512, Seq = 1024, At = 2048, Text = 4096, To = 8192, Action = 16384, Since = 32768,
                History = 1 << 16, Seen = 1 << 17, Direct = 1 << 18, From = 1 << 19, Until = 1 << 20, Max = 1 << 21;

            public int Bits;

            public void Add(string name)
            {
                int bit = name switch
                {
                    "type" => Type, "version" => Version, "id" => Id, "user" => User, "port" => Port, "nonce" => Nonce,
                    "proof" => Proof, "code" => Code, "reason" => Reason, "members" => Members, "seq" => Seq, "at" => At,
                    "text" => Text, "to" => To, "action" => Action, "since" => Since, "history" => History, "seen" => Seen,
                    "direct" => Direct, "from" => From, "until" => Until, "max" => Max, _ => 0,
                };
                if (bit == 0) return; // reported as unknown by the caller
                if ((Bits & bit) != 0) throw Violation($"the field '{name}' appears twice");
                Bits |= bit;
            }
        }
    }
}
