using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Turns frames into UTF-8 JSON payloads (this file) and back (WireCodec.Decode.cs). Decoding is strict, because
    /// anything may arrive on a listening port: a frame of the wrong shape, with a missing, unknown or repeated field,
    /// is a protocol violation.
    /// </summary>
    internal static partial class WireCodec
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
        private static readonly JsonEncodedText PHistory = JsonEncodedText.Encode("history");
        private static readonly JsonEncodedText PSeen = JsonEncodedText.Encode("seen");
        private static readonly JsonEncodedText PDirect = JsonEncodedText.Encode("direct");
        private static readonly JsonEncodedText PFrom = JsonEncodedText.Encode("from");
        private static readonly JsonEncodedText PUntil = JsonEncodedText.Encode("until");
        private static readonly JsonEncodedText PMax = JsonEncodedText.Encode("max");

        private static readonly JsonEncodedText THello = JsonEncodedText.Encode("hello");
        private static readonly JsonEncodedText TAuth = JsonEncodedText.Encode("auth");
        private static readonly JsonEncodedText TAccept = JsonEncodedText.Encode("accept");
        private static readonly JsonEncodedText TWelcome = JsonEncodedText.Encode("welcome");
        private static readonly JsonEncodedText TRefuse = JsonEncodedText.Encode("refuse");
        private static readonly JsonEncodedText TMembers = JsonEncodedText.Encode("members");
        private static readonly JsonEncodedText TMsg = JsonEncodedText.Encode("msg");
        private static readonly JsonEncodedText TPing = JsonEncodedText.Encode("ping");
        private static readonly JsonEncodedText TLeave = JsonEncodedText.Encode("leave");
        private static readonly JsonEncodedText TDigest = JsonEncodedText.Encode("digest");
        private static readonly JsonEncodedText TGap = JsonEncodedText.Encode("gap");
        private static readonly JsonEncodedText THistoryRequest = JsonEncodedText.Encode("history");

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

        public static byte[] EncodeMessage(string origin, long sequence, long sentAtUnixMs, string text, IReadOnlyList<string>? to, bool action, bool history = false)
        {
            var builder = t_builder ??= new FrameBuilder();
            builder.Reset();
            var w = Writer(builder);
            w.WriteStartObject();
            WriteType(w, TMsg);
            w.WriteString(PId, origin);
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
            if (history) w.WriteBoolean(PHistory, true);
            w.WriteEndObject();
            w.Flush();
            return builder.ToFrame();
        }

        public static byte[] EncodePing() => PingFrame;

        public static byte[] EncodeDigest(IReadOnlyList<SeenMark> seen, long direct) => Encode(w =>
        {
            WriteType(w, TDigest);
            w.WriteStartArray(PSeen);
            foreach (var mark in seen)
            {
                w.WriteStartObject();
                w.WriteString(PId, mark.Origin);
                w.WriteNumber(PSeq, mark.Contiguous);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber(PDirect, direct);
        });

        public static byte[] EncodeGap(string origin, long from, long to, bool direct) => Encode(w =>
        {
            WriteType(w, TGap);
            w.WriteString(PId, origin);
            w.WriteNumber(PFrom, from);
            w.WriteNumber(PUntil, to);
            if (direct) w.WriteBoolean(PDirect, true);
        });

        public static byte[] EncodeHistoryRequest(int maxCount, long sinceUnixMs) => Encode(w =>
        {
            WriteType(w, THistoryRequest);
            w.WriteNumber(PMax, maxCount);
            w.WriteNumber(PSince, sinceUnixMs);
        });

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
    }
}
