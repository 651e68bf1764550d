using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Turns frames into UTF-8 JSON payloads and back. Decoding is strict, because anything may arrive on a listening
    /// port: a frame of the wrong shape, with a missing, unknown or repeated field, is a protocol violation.
    /// </summary>
    internal static class WireCodec
    {
        public const int ProtocolVersion = 1;
        internal const int MaxDepth = 4;

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            // Message text is data, never HTML: keep non-ASCII text as UTF-8 rather than \u escapes.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        };

        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions { MaxDepth = MaxDepth };

        // The range a DateTimeOffset can hold: the receiver turns 'at' into one, so a value outside it is malformed.
        private const long MinUnixMs = -62_135_596_800_000L;
        private const long MaxUnixMs = 253_402_300_799_999L;

        [ThreadStatic] private static FrameBuilder? t_builder;
        [ThreadStatic] private static Utf8JsonWriter? t_writer;

        // Property names, encoded once.
        private static readonly JsonEncodedText PType = JsonEncodedText.Encode("type");
        private static readonly JsonEncodedText PVersion = JsonEncodedText.Encode("version");
        private static readonly JsonEncodedText PId = JsonEncodedText.Encode("id");
        private static readonly JsonEncodedText PUser = JsonEncodedText.Encode("user");
        private static readonly JsonEncodedText PPort = JsonEncodedText.Encode("port");
        private static readonly JsonEncodedText PSince = JsonEncodedText.Encode("since");
        private static readonly JsonEncodedText PNonce = JsonEncodedText.Encode("nonce");
        private static readonly JsonEncodedText PProof = JsonEncodedText.Encode("proof");
        private static readonly JsonEncodedText PCode = JsonEncodedText.Encode("code");
        private static readonly JsonEncodedText PReason = JsonEncodedText.Encode("reason");
        private static readonly JsonEncodedText PMembers = JsonEncodedText.Encode("members");
        private static readonly JsonEncodedText PEndpoint = JsonEncodedText.Encode("endpoint");
        private static readonly JsonEncodedText PSeq = JsonEncodedText.Encode("seq");
        private static readonly JsonEncodedText PAt = JsonEncodedText.Encode("at");
        private static readonly JsonEncodedText PText = JsonEncodedText.Encode("text");
        private static readonly JsonEncodedText PTo = JsonEncodedText.Encode("to");
        private static readonly JsonEncodedText PAction = JsonEncodedText.Encode("action");

        private static readonly JsonEncodedText THello = JsonEncodedText.Encode("hello");
        private static readonly JsonEncodedText TAuth = JsonEncodedText.Encode("auth");
        private static readonly JsonEncodedText TAccept = JsonEncodedText.Encode("accept");
        private static readonly JsonEncodedText TWelcome = JsonEncodedText.Encode("welcome");
        private static readonly JsonEncodedText TRefuse = JsonEncodedText.Encode("refuse");
        private static readonly JsonEncodedText TMembers = JsonEncodedText.Encode("members");
        private static readonly JsonEncodedText TMsg = JsonEncodedText.Encode("msg");
        private static readonly JsonEncodedText TPing = JsonEncodedText.Encode("ping");
        private static readonly JsonEncodedText TLeave = JsonEncodedText.Encode("leave");

        private static readonly byte[] PingFrame = Encode(w => WriteType(w, TPing));

        // ---- encoding -------------------------------------------------------------------------------------------

        public static byte[] EncodeHello(string peerId, string userName, int listenPort, long since, byte[] nonce) => Encode(w =>
        {
            WriteType(w, THello);
            w.WriteNumber(PVersion, ProtocolVersion);
            w.WriteString(PId, peerId);
            w.WriteString(PUser, userName);
            w.WriteNumber(PPort, listenPort);
            w.WriteNumber(PSince, since);
            w.WriteBase64String(PNonce, nonce);
        });

        public static byte[] EncodeAuth(byte[] proof) => Encode(w => { WriteType(w, TAuth); w.WriteBase64String(PProof, proof); });

        public static byte[] EncodeAccept() => Encode(w => WriteType(w, TAccept));

        public static byte[] EncodeWelcome() => Encode(w => WriteType(w, TWelcome));

        public static byte[] EncodeRefuse(string code, string reason) => Encode(w =>
        {
            WriteType(w, TRefuse);
            w.WriteString(PCode, code);
            w.WriteString(PReason, reason);
        });

        public static byte[] EncodeMembers(IEnumerable<MemberAnnouncement> members) => Encode(w =>
        {
            WriteType(w, TMembers);
            w.WriteStartArray(PMembers);
            foreach (var member in members)
            {
                w.WriteStartObject();
                w.WriteString(PId, member.PeerId);
                w.WriteString(PUser, member.UserName);
                w.WriteString(PEndpoint, member.Endpoint.ToString());
                w.WriteNumber(PSince, member.Since);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });

        public static byte[] EncodeMessage(string messageId, long sequence, long sentAtUnixMs, string text, IReadOnlyList<string>? to, bool action)
        {
            var builder = t_builder ??= new FrameBuilder();
            builder.Reset();
            var w = Writer(builder);
            w.WriteStartObject();
            WriteType(w, TMsg);
            w.WriteString(PId, messageId);
            w.WriteNumber(PSeq, sequence);
            w.WriteNumber(PAt, sentAtUnixMs);
            w.WriteString(PText, text);
            if (to != null && to.Count > 0)
            {
                w.WriteStartArray(PTo);
                foreach (var name in to) w.WriteStringValue(name);
                w.WriteEndArray();
            }
            if (action) w.WriteBoolean(PAction, true);
            w.WriteEndObject();
            w.Flush();
            return builder.ToFrame();
        }

        public static byte[] EncodePing() => PingFrame;

        public static byte[] EncodeLeave(string? reason) => Encode(w =>
        {
            WriteType(w, TLeave);
            if (!string.IsNullOrEmpty(reason)) w.WriteString(PReason, reason);
        });

        private static void WriteType(Utf8JsonWriter w, JsonEncodedText type) => w.WriteString(PType, type);

        private static byte[] Encode(Action<Utf8JsonWriter> body)
        {
            var builder = t_builder ??= new FrameBuilder();
            builder.Reset();
            var w = Writer(builder);
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
            w.Flush();
            return builder.ToFrame();
        }

        private static Utf8JsonWriter Writer(FrameBuilder builder)
        {
            var writer = t_writer;
            if (writer == null) t_writer = writer = new Utf8JsonWriter(builder, WriterOptions);
            else writer.Reset(builder);
            return writer;
        }

        // ---- decoding -------------------------------------------------------------------------------------------

        /// <summary>Decodes one payload. Every way it can be wrong ends in <see cref="WireProtocolException"/>.</summary>
        public static WireFrame Decode(ReadOnlySpan<byte> payload)
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

        private static WireFrame DecodeUnchecked(ReadOnlySpan<byte> payload)
        {
            var reader = new Utf8JsonReader(payload, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Violation("a frame must be a JSON object");

            var frame = new WireFrame();
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
                    case "version": frame.Version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int v) ? v : throw Violation("'version' must be an integer"); break;
                    case "id": frame.PeerId = frame.MessageId = String(ref reader, name); break;
                    case "user": frame.UserName = String(ref reader, name); break;
                    case "port": frame.ListenPort = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int p) && p >= 1 && p <= 65535 ? p : throw Violation("'port' must be a port number"); break;
                    case "since": frame.Since = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long since) ? since : throw Violation("'since' must be an integer"); break;
                    case "nonce": frame.Nonce = Bytes(ref reader, name); break;
                    case "proof": frame.Proof = Bytes(ref reader, name); break;
                    case "code": frame.Code = String(ref reader, name); break;
                    case "reason": frame.Reason = String(ref reader, name); break;
                    case "seq": frame.Sequence = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long s) && s > 0 ? s : throw Violation("'seq' must be a positive integer"); break;
                    case "at": frame.SentAtUnixMs = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long at) && at >= MinUnixMs && at <= MaxUnixMs ? at : throw Violation("'at' must be Unix milliseconds between the years 1 and 9999"); break;
                    case "text": frame.Text = String(ref reader, name); break;
                    case "action": frame.Action = reader.TokenType == JsonTokenType.True || (reader.TokenType == JsonTokenType.False ? false : throw Violation("'action' must be a boolean")); break;
                    case "to": frame.To = StringArray(ref reader, name); break;
                    case "members": frame.Members = Members(ref reader); break;
                    default: throw Violation($"unknown field '{Shorten(name)}'");
                }
            }
            if (reader.Read()) throw Violation("data after the end of the frame");

            frame.Type = type switch
            {
                "hello" => Require(FrameType.Hello, seen, FieldSet.Type | FieldSet.Version | FieldSet.Id | FieldSet.User | FieldSet.Port | FieldSet.Since | FieldSet.Nonce),
                "auth" => Require(FrameType.Auth, seen, FieldSet.Type | FieldSet.Proof),
                "accept" => Require(FrameType.Accept, seen, FieldSet.Type),
                "welcome" => Require(FrameType.Welcome, seen, FieldSet.Type),
                "refuse" => Require(FrameType.Refuse, seen, FieldSet.Type | FieldSet.Code | FieldSet.Reason),
                "members" => Require(FrameType.Members, seen, FieldSet.Type | FieldSet.Members),
                "msg" => Require(FrameType.Message, seen, FieldSet.Type | FieldSet.Id | FieldSet.Seq | FieldSet.At | FieldSet.Text, FieldSet.To | FieldSet.Action),
                "ping" => Require(FrameType.Ping, seen, FieldSet.Type),
                "leave" => Require(FrameType.Leave, seen, FieldSet.Type, FieldSet.Reason),
                null => throw Violation("the frame has no 'type'"),
                _ => throw Violation($"unknown frame type '{Shorten(type)}'"),
            };
            return frame;
        }

        private static FrameType Require(FrameType type, FieldSet seen, int required, int optional = 0)
        {
            if ((seen.Bits & required) != required) throw Violation($"a '{type.ToString().ToLowerInvariant()}' frame lacks a required field");
            if ((seen.Bits & ~(required | optional)) != 0) throw Violation($"a '{type.ToString().ToLowerInvariant()}' frame carries a field it may not have");
            return type;
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
                Members = 512, Seq = 1024, At = 2048, Text = 4096, To = 8192, Action = 16384, Since = 32768;

            public int Bits;

            public void Add(string name)
            {
                int bit = name switch
                {
                    "type" => Type, "version" => Version, "id" => Id, "user" => User, "port" => Port, "nonce" => Nonce,
                    "proof" => Proof, "code" => Code, "reason" => Reason, "members" => Members, "seq" => Seq, "at" => At,
                    "text" => Text, "to" => To, "action" => Action, "since" => Since, _ => 0,
                };
                if (bit == 0) return; // reported as unknown by the caller
                if ((Bits & bit) != 0) throw Violation($"the field '{name}' appears twice");
                Bits |= bit;
            }
        }
    }
}
