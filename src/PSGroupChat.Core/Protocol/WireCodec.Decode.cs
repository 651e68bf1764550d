using System;
using System.Collections.Generic;

namespace PSGroupChat.Protocol
{
    // Decoding: strict, because anything may arrive on a listening port. Every field is checked against its limit
    // before anything is allocated for it, every byte must be accounted for, and every failure names the frame and the
    // field, never the remote bytes, so the reason is short and printable when it is logged.
    internal static partial class WireCodec
    {
        /// <summary>
        /// Decodes one payload (type byte first): a 'msg' frame into <paramref name="message"/>, and then null is returned;
        /// any other frame as the object returned. Every way it can be wrong ends in <see cref="WireProtocolException"/>.
        /// </summary>
        public static Frame? Decode(ReadOnlySpan<byte> payload, out MessageFrame message)
        {
            if (payload.IsEmpty) throw new WireProtocolException("an empty frame");
            var type = (FrameType)payload[0];
            string name = NameOf(type);
            var r = new WireReader(payload.Slice(1), name);
            if (type == FrameType.Message)
            {
                message = DecodeMessage(ref r);
                r.End();
                return null;
            }
            message = default;
            Frame frame = type switch
            {
                FrameType.Hello => new HelloFrame(r.PeerId("peer id"), r.Bytes(WireLimits.NonceBytes, "nonce").ToArray()),
                FrameType.Auth => DecodeAuth(ref r),
                FrameType.Intro => DecodeIntro(ref r),
                FrameType.Accept => new AcceptFrame(),
                FrameType.Welcome => new WelcomeFrame(),
                FrameType.Refuse => DecodeRefuse(ref r),
                FrameType.Members => DecodeMembers(ref r),
                FrameType.Ping => new PingFrame(),
                FrameType.Digest => DecodeDigest(ref r),
                FrameType.Gap => DecodeGap(ref r),
                FrameType.HistoryRequest => DecodeHistoryRequest(ref r),
                FrameType.Leave => DecodeLeave(ref r),
                _ => throw new WireProtocolException($"unknown frame type {name}"),
            };
            r.End();
            return frame;
        }

        private static AuthFrame DecodeAuth(ref WireReader r)
        {
            var proof = r.EmptyOr(WireLimits.DigestBytes, "proof");
            var key = r.EmptyOr(WireLimits.KeyPointBytes, "key");
            var signature = r.EmptyOr(WireLimits.SignatureBytes, "signature");
            if ((key.Length == 0) != (signature.Length == 0)) throw r.Violation("the key and signature of an 'auth' frame come together or not at all");
            if (key.Length != 0 && key[0] != 0x04) throw r.Violation("the key of an 'auth' frame must be an uncompressed point (first byte 0x04)");
            return new AuthFrame(proof, key, signature);
        }

        private static IntroFrame DecodeIntro(ref WireReader r)
        {
            string user = UserName(ref r, "user name", "the intro");
            return new IntroFrame(user, r.Port("listen port"), r.Int64("since"));
        }

        private static RefuseFrame DecodeRefuse(ref WireReader r)
        {
            string code = r.String8("code", WireLimits.MaxCodeBytes);
            if (!IsRefuseCode(code)) throw r.Violation("the code of a 'refuse' frame must be 1 to 32 of a-z, 0-9 and '-'");
            return new RefuseFrame(code, r.String16("reason", WireLimits.MaxReasonBytes));
        }

        // The smallest member entry: id, a 1-byte name, a 1-byte host, port, since, no fingerprint.
        private const int MinMemberBytes = WireLimits.PeerIdBytes + 2 + 2 + 2 + 8 + 1;

        private static MembersFrame DecodeMembers(ref WireReader r)
        {
            int count = r.ListCount(r.UInt16("count"), MinMemberBytes, WireLimits.MaxListEntries, "members");
            var members = new MemberAnnouncement[count];
            for (int i = 0; i < count; i++)
            {
                string id = r.PeerId("peer id");
                string user = UserName(ref r, "user name", "an announced member");
                string host = r.Name8("host", WireLimits.MaxHostBytes);
                if (HostProblem(host) is string problem) throw r.Violation($"an announced member's host {problem}");
                int port = r.Port("port");
                long since = r.Int64("since");
                var fingerprint = r.EmptyOr(WireLimits.DigestBytes, "fingerprint");
                members[i] = new MemberAnnouncement(id, user, new ChatEndpoint(host, port), since, fingerprint);
            }
            return new MembersFrame(members);
        }

        // The smallest recipient entry: a 1-byte name.
        private const int MinRecipientBytes = 2;

        private static MessageFrame DecodeMessage(ref WireReader r)
        {
            int flags = r.Byte("flags");
            if ((flags & ~KnownMessageFlags) != 0) throw r.Violation($"a 'msg' frame has unknown flags 0x{flags & ~KnownMessageFlags:x2}");
            string origin = r.PeerId("origin");
            long sequence = r.Count64("sequence", 1);
            long at = r.UnixMs("time");
            string[]? to = null;
            if ((flags & FlagDirect) != 0)
            {
                int count = r.Byte("recipient count");
                if (count == 0) throw r.Violation("a direct 'msg' frame names no recipient");
                to = new string[r.ListCount(count, MinRecipientBytes, WireLimits.MaxRecipients, "recipients")];
                for (int i = 0; i < to.Length; i++) to[i] = UserName(ref r, "recipient", "a recipient");
            }
            string text = r.String16("text", WireLimits.MaxTextBytes);
            if (ChatLimits.MessageProblem(text) is string problem) throw r.Violation(problem);
            return new MessageFrame(origin, sequence, at, text, to, (flags & FlagAction) != 0, (flags & FlagHistory) != 0);
        }

        private const int MarkBytes = WireLimits.PeerIdBytes + 8;

        private static DigestFrame DecodeDigest(ref WireReader r)
        {
            int count = r.ListCount(r.UInt16("count"), MarkBytes, WireLimits.MaxListEntries, "marks");
            var seen = new SeenMark[count];
            for (int i = 0; i < count; i++) seen[i] = new SeenMark(r.PeerId("origin"), r.Count64("contiguous sequence", 0));
            return new DigestFrame(seen, r.Count64("direct contiguous sequence", 0));
        }

        private static GapFrame DecodeGap(ref WireReader r)
        {
            string origin = r.PeerId("origin");
            long from = r.Count64("first sequence", 1);
            long to = r.Count64("last sequence", 1);
            if (to < from) throw r.Violation("a 'gap' frame ends before it starts");
            int flags = r.Byte("flags");
            if ((flags & ~FlagGapDirect) != 0) throw r.Violation($"a 'gap' frame has unknown flags 0x{flags & ~FlagGapDirect:x2}");
            return new GapFrame(origin, from, to, (flags & FlagGapDirect) != 0);
        }

        private static HistoryRequestFrame DecodeHistoryRequest(ref WireReader r)
        {
            uint max = r.UInt32("count");
            if (max > int.MaxValue) throw r.Violation("the count of a 'history-request' frame must be at most 2^31-1");
            return new HistoryRequestFrame((int)max, r.UnixMs("since"));
        }

        private static LeaveFrame DecodeLeave(ref WireReader r)
        {
            string reason = r.String16("reason", WireLimits.MaxReasonBytes);
            return new LeaveFrame(reason.Length == 0 ? null : reason);
        }

        /// <summary>A user name, held to the rule every member applies to names people type (no control character, no white space).</summary>
        private static string UserName(ref WireReader r, string field, string who)
        {
            string user = r.Name8(field, WireLimits.MaxUserNameBytes);
            if (ChatLimits.UserNameProblem(user) is string problem) throw r.Violation($"{who} has a bad user name: {problem}");
            return user;
        }

        /// <summary>Why a host from the wire cannot be dialed, or null: the rule of <see cref="ChatEndpoint.Parse"/>.</summary>
        private static string? HostProblem(string host)
        {
            if (host.Length == 0) return "is empty";
            foreach (char c in host)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '/' || c == '@' || c == '[' || c == ']') return "contains a character no host has";
            }
            return null;
        }
    }
}
