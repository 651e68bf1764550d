using System.Collections.Generic;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// One room as announced on the LAN: what Find-ChatRoom writes. Built from announcements, which are hints: the
    /// handshake still decides who is a member.
    /// </summary>
    public sealed class LanChatRoom
    {
        internal LanChatRoom(string room, string roomKey, bool secretRequired, IReadOnlyList<string> members, int memberCount, IReadOnlyList<string> endpoints)
        {
            Room = room;
            RoomKey = roomKey;
            SecretRequired = secretRequired;
            Members = members;
            MemberCount = memberCount;
            Endpoints = endpoints;
        }

        /// <summary>The text announced for a room whose name is hidden by a shared secret.</summary>
        public const string SecretRoom = "(secret)";

        /// <summary>The room's name (lower case, as announced), or <see cref="SecretRoom"/> when a shared secret hides it.</summary>
        public string Room { get; }

        /// <summary>What the room is announced under: its name, or with a secret an identifier derived from the secret and the name.</summary>
        public string RoomKey { get; }

        /// <summary>Whether the members require a shared secret (Start-ChatPeer -SharedSecret) of whoever joins.</summary>
        public bool SecretRequired { get; }

        /// <summary>The user names announced, sorted; empty for a secret room, whose announcements name nobody.</summary>
        public IReadOnlyList<string> Members { get; }

        /// <summary>How many sessions announce the room.</summary>
        public int MemberCount { get; }

        /// <summary>Where the announcing sessions listen, as host:port (one per session and address).</summary>
        public IReadOnlyList<string> Endpoints { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Room} ({MemberCount} members)";
    }
}
