using System;
using System.Buffers;
using System.Collections.Generic;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Turns frames into the binary payloads of protocol version 2 (this file) and back (WireCodec.Decode.cs);
    /// docs/protocol.md specifies every frame byte by byte. Integers are fixed-width big-endian, text is UTF-8 behind a
    /// one- or two-byte length, peer ids are 16 raw bytes. Each encoder measures its frame and fills one array of exactly
    /// that size, length prefix included, which is what a link's queue takes.
    /// </summary>
    internal static partial class WireCodec
    {
        /// <summary>The protocol version this codec speaks; the connection preamble carries it.</summary>
        public const int ProtocolVersion = 2;

        /// <summary>Message flags: every other bit must be zero.</summary>
        internal const byte FlagAction = 0x01, FlagHistory = 0x02, FlagDirect = 0x04, KnownMessageFlags = FlagAction | FlagHistory | FlagDirect;

        private static readonly byte[] AcceptFrameBytes = Empty(FrameType.Accept);
        private static readonly byte[] WelcomeFrameBytes = Empty(FrameType.Welcome);
        private static readonly byte[] PingFrameBytes = Empty(FrameType.Ping);

        public static byte[] EncodeHello(string peerId, byte[] nonce)
        {
            if (nonce.Length != WireLimits.NonceBytes) throw new ArgumentException($"A nonce is {WireLimits.NonceBytes} bytes.", nameof(nonce));
            var w = new WireWriter(FrameType.Hello, 1 + WireLimits.PeerIdBytes + WireLimits.NonceBytes);
            w.PeerId(peerId);
            w.Bytes(nonce);
            return w.Finish();
        }

        public static byte[] EncodeAuth(byte[] proof) => EncodeAuth(proof, Array.Empty<byte>(), Array.Empty<byte>());

        public static byte[] EncodeAuth(byte[] proof, byte[] key, byte[] signature)
        {
            CheckEmptyOr(proof, WireLimits.DigestBytes, nameof(proof));
            CheckEmptyOr(key, WireLimits.KeyPointBytes, nameof(key));
            CheckEmptyOr(signature, WireLimits.SignatureBytes, nameof(signature));
            if ((key.Length == 0) != (signature.Length == 0)) throw new ArgumentException("A key goes with its signature.", nameof(signature));
            var w = new WireWriter(FrameType.Auth, 4 + proof.Length + key.Length + signature.Length);
            w.Bytes8(proof);
            w.Bytes8(key);
            w.Bytes8(signature);
            return w.Finish();
        }

        public static byte[] EncodeIntro(string userName, int listenPort, long since)
        {
            int user = WireWriter.Measure(userName, WireLimits.MaxUserNameBytes, nameof(userName));
            var w = new WireWriter(FrameType.Intro, 1 + 1 + user + 2 + 8);
            w.String8(userName, user);
            w.UInt16(CheckPort(listenPort));
            w.Int64(since);
            return w.Finish();
        }

        public static byte[] EncodeAccept() => AcceptFrameBytes;

        public static byte[] EncodeWelcome() => WelcomeFrameBytes;

        public static byte[] EncodeRefuse(string code, string reason)
        {
            if (!IsRefuseCode(code)) throw new ArgumentException($"'{code}' is not a refuse code (1 to {WireLimits.MaxCodeBytes} of a-z, 0-9 and '-').", nameof(code));
            reason = WireWriter.Cut(reason, WireLimits.MaxReasonBytes);
            int reasonBytes = WireWriter.Utf8.GetByteCount(reason);
            var w = new WireWriter(FrameType.Refuse, 1 + 1 + code.Length + 2 + reasonBytes);
            w.String8(code, code.Length);
            w.String16(reason, reasonBytes);
            return w.Finish();
        }

        public static byte[] EncodeMembers(IReadOnlyList<MemberAnnouncement> members)
        {
            if (members.Count > WireLimits.MaxListEntries) throw new ArgumentException($"At most {WireLimits.MaxListEntries} members fit in one list.", nameof(members));
            var sizes = new int[members.Count * 2];
            int length = 1 + 2;
            for (int i = 0; i < members.Count; i++)
            {
                var m = members[i];
                CheckEmptyOr(m.Fingerprint, WireLimits.DigestBytes, nameof(m.Fingerprint));
                sizes[2 * i] = WireWriter.Measure(m.UserName, WireLimits.MaxUserNameBytes, "user name");
                sizes[2 * i + 1] = WireWriter.Measure(m.Endpoint.Host, WireLimits.MaxHostBytes, "host");
                length += WireLimits.PeerIdBytes + 1 + sizes[2 * i] + 1 + sizes[2 * i + 1] + 2 + 8 + 1 + m.Fingerprint.Length;
            }
            var w = new WireWriter(FrameType.Members, length);
            w.UInt16(members.Count);
            for (int i = 0; i < members.Count; i++)
            {
                var m = members[i];
                w.PeerId(m.PeerId);
                w.String8(m.UserName, sizes[2 * i]);
                w.String8(m.Endpoint.Host, sizes[2 * i + 1]);
                w.UInt16(m.Endpoint.Port);
                w.Int64(m.Since);
                w.Bytes8(m.Fingerprint);
            }
            return w.Finish();
        }

        /// <summary>A 'msg' frame; with <paramref name="pool"/>, in an array rented from it, which <see cref="FrameLength"/> measures.</summary>
        public static byte[] EncodeMessage(string origin, long sequence, long sentAtUnixMs, string text, IReadOnlyList<string>? to, bool action, bool history = false, ArrayPool<byte>? pool = null)
        {
            if (sequence < 1) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "A sequence starts at 1.");
            int textBytes = WireWriter.Measure(text, WireLimits.MaxTextBytes, nameof(text));
            bool direct = to != null && to.Count > 0;
            int length = 1 + 1 + WireLimits.PeerIdBytes + 8 + 8 + 2 + textBytes;
            int[]? nameBytes = null;
            if (direct)
            {
                if (to!.Count > WireLimits.MaxRecipients) throw new ArgumentException($"At most {WireLimits.MaxRecipients} recipients fit in one message.", nameof(to));
                nameBytes = new int[to.Count];
                length += 1;
                for (int i = 0; i < to.Count; i++) length += 1 + (nameBytes[i] = WireWriter.Measure(to[i], WireLimits.MaxUserNameBytes, "recipient"));
            }
            var w = new WireWriter(FrameType.Message, length, pool);
            w.Byte((action ? FlagAction : 0) | (history ? FlagHistory : 0) | (direct ? FlagDirect : 0));
            w.PeerId(origin);
            w.Int64(sequence);
            w.Int64(sentAtUnixMs);
            if (direct)
            {
                w.Byte(to!.Count);
                for (int i = 0; i < to.Count; i++) w.String8(to[i], nameBytes![i]);
            }
            w.String16(text, textBytes);
            return w.Finish();
        }

        /// <summary>How long an encoded frame is, length prefix included: less than its array when that was rented.</summary>
        public static int FrameLength(byte[] frame) =>
            FrameReader.PrefixSize + ((frame[0] << 24) | (frame[1] << 16) | (frame[2] << 8) | frame[3]);

        /// <summary>A payload as read (type byte first) made a frame again, length prefix and all, in an array rented from <paramref name="pool"/>.</summary>
        public static byte[] FrameOf(ReadOnlySpan<byte> payload, ArrayPool<byte> pool)
        {
            var frame = pool.Rent(FrameReader.PrefixSize + payload.Length);
            frame[0] = (byte)(payload.Length >> 24);
            frame[1] = (byte)(payload.Length >> 16);
            frame[2] = (byte)(payload.Length >> 8);
            frame[3] = (byte)payload.Length;
            payload.CopyTo(frame.AsSpan(FrameReader.PrefixSize));
            return frame;
        }

        /// <summary>
        /// A copy of an encoded 'msg' frame in an array of its own (what a link's queue takes), marked as a replay of
        /// history for a late joiner when <paramref name="history"/>, else not.
        /// </summary>
        public static byte[] CopyMessage(byte[] frame, bool history)
        {
            const int flags = FrameReader.PrefixSize + 1;
            if (frame[FrameReader.PrefixSize] != (byte)FrameType.Message) throw new ArgumentException("Not a 'msg' frame.", nameof(frame));
            var copy = new byte[FrameLength(frame)];
            Buffer.BlockCopy(frame, 0, copy, 0, copy.Length);
            copy[flags] = (byte)(history ? copy[flags] | FlagHistory : copy[flags] & ~FlagHistory);
            return copy;
        }

        public static byte[] EncodePing() => PingFrameBytes;

        public static byte[] EncodeDigest(IReadOnlyList<SeenMark> seen, long direct = 0)
        {
            if (seen.Count > WireLimits.MaxListEntries) throw new ArgumentException($"At most {WireLimits.MaxListEntries} marks fit in one digest.", nameof(seen));
            if (direct < 0) throw new ArgumentOutOfRangeException(nameof(direct), direct, "A contiguous sequence is 0 or more.");
            var w = new WireWriter(FrameType.Digest, 1 + 2 + seen.Count * (WireLimits.PeerIdBytes + 8) + 8);
            w.UInt16(seen.Count);
            foreach (var mark in seen)
            {
                if (mark.Contiguous < 0) throw new ArgumentOutOfRangeException(nameof(seen), mark.Contiguous, "A contiguous sequence is 0 or more.");
                w.PeerId(mark.Origin);
                w.Int64(mark.Contiguous);
            }
            w.Int64(direct);
            return w.Finish();
        }

        internal const byte FlagGapDirect = 0x01;

        public static byte[] EncodeGap(string origin, long from, long to, bool direct = false)
        {
            if (from < 1 || to < from) throw new ArgumentOutOfRangeException(nameof(from), $"A gap runs from 1 <= from <= to, not {from}..{to}.");
            var w = new WireWriter(FrameType.Gap, 1 + WireLimits.PeerIdBytes + 8 + 8 + 1);
            w.PeerId(origin);
            w.Int64(from);
            w.Int64(to);
            w.Byte(direct ? FlagGapDirect : 0);
            return w.Finish();
        }

        public static byte[] EncodeHistoryRequest(int maxCount, long sinceUnixMs)
        {
            if (maxCount < 0) throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "0 (no bound) or more.");
            var w = new WireWriter(FrameType.HistoryRequest, 1 + 4 + 8);
            w.UInt32((uint)maxCount);
            w.Int64(sinceUnixMs);
            return w.Finish();
        }

        public static byte[] EncodeLeave(string? reason)
        {
            reason = WireWriter.Cut(reason ?? string.Empty, WireLimits.MaxReasonBytes);
            int reasonBytes = WireWriter.Utf8.GetByteCount(reason);
            var w = new WireWriter(FrameType.Leave, 1 + 2 + reasonBytes);
            w.String16(reason, reasonBytes);
            return w.Finish();
        }

        /// <summary>How docs/protocol.md names a frame type.</summary>
        public static string NameOf(FrameType type) => type switch
        {
            FrameType.Hello => "hello",
            FrameType.Auth => "auth",
            FrameType.Intro => "intro",
            FrameType.Accept => "accept",
            FrameType.Welcome => "welcome",
            FrameType.Refuse => "refuse",
            FrameType.Members => "members",
            FrameType.Message => "msg",
            FrameType.Ping => "ping",
            FrameType.Digest => "digest",
            FrameType.Gap => "gap",
            FrameType.HistoryRequest => "history-request",
            FrameType.Leave => "leave",
            _ => $"0x{(byte)type:x2}",
        };

        /// <summary>A refuse code: 1 to 32 of lowercase ASCII letters, digits and '-'.</summary>
        internal static bool IsRefuseCode(string code)
        {
            if (code.Length == 0 || code.Length > WireLimits.MaxCodeBytes) return false;
            foreach (char c in code)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
            }
            return true;
        }

        private static byte[] Empty(FrameType type) => new WireWriter(type, 1).Finish();

        private static int CheckPort(int port) =>
            port >= 1 && port <= 65535 ? port : throw new ArgumentOutOfRangeException(nameof(port), port, "A port is 1 to 65535.");

        private static void CheckEmptyOr(byte[] bytes, int size, string name)
        {
            if (bytes.Length != 0 && bytes.Length != size) throw new ArgumentException($"The {name} is empty or {size} bytes.", name);
        }
    }
}
