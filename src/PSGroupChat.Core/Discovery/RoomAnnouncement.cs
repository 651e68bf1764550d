using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// What one session tells the LAN about itself: which room (by name, or by an identifier only holders of the secret
    /// can match), its peer id, its user name where that is not secret, and where to dial it. A hint only: whoever
    /// answers at that address still has to pass the handshake.
    /// </summary>
    internal sealed record RoomAnnouncement(string RoomKey, string PeerId, string? UserName, int Port, IReadOnlyList<IPAddress> Addresses, bool SecretRequired)
    {
        /// <summary>The DNS-SD service type of PSGroupChat rooms.</summary>
        public const string ServiceType = "_psgroupchat._tcp.local";

        /// <summary>
        /// How long others may hold an announcement, in seconds: RFC 6762 §10's two minutes for host records, used for all,
        /// so that a session that crashed without its goodbye is forgotten within two minutes.
        /// </summary>
        public const uint Ttl = 120;

        /// <summary>
        /// The address the announcement came from, when it was heard on the group: the only one a session dials, so that
        /// an announcement cannot send it to an address its sender does not hold. Not part of the records.
        /// </summary>
        public IPAddress? Source { get; init; }

        /// <summary>How many times the instance name was given up to another responder claiming it (RFC 6762 §9).</summary>
        public int Renamed { get; init; }

        /// <summary>
        /// The DNS-SD instance name: unique per session through its peer id (and a rename count after a conflict), no user
        /// name when there is a secret, and cut to one 63-byte label; the TXT record carries the full values.
        /// </summary>
        public string Instance => DnsName.Escape(Fit(UserName == null ? RoomKey : $"{UserName} in {RoomKey}",
            "-" + Short(UserName == null ? 12 : 8) + (Renamed > 0 ? "-" + Renamed : string.Empty))) + "." + ServiceType;

        private static string Fit(string label, string suffix)
        {
            while (label.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(label + suffix) > DnsLimits.MaxLabelBytes) label = label.Substring(0, label.Length - 1);
            return label + suffix;
        }

        /// <summary>The host name the SRV record points at: one of the session's own, so that it never contends with the host's.</summary>
        public string HostName => $"psgroupchat-{Short(12)}.local";

        /// <summary>
        /// The room key announced for <paramref name="room"/>: its name, or with a secret an HMAC of it, so that only holders
        /// of the secret can tell which room an announcement is for (and none can tell the name).
        /// </summary>
        public static string KeyFor(string room, byte[]? secret)
        {
            var name = room.ToLowerInvariant();
            if (secret == null) return name;
            using var hmac = new System.Security.Cryptography.HMACSHA256(secret);
            var mac = hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes("psgroupchat room " + name));
            return BitConverter.ToString(mac, 0, 16).Replace("-", string.Empty).ToLowerInvariant();
        }

        private string Short(int length) => PeerId.Length <= length ? PeerId : PeerId.Substring(0, length);

        /// <summary>The records that announce this session; a <paramref name="goodbye"/> has them with a time to live of 0.</summary>
        public IReadOnlyList<DnsRecord> Records(bool goodbye = false)
        {
            uint ttl = goodbye ? 0 : Ttl;
            var records = new List<DnsRecord>
            {
                new PtrRecord(ServiceType, ttl, Instance),
                new SrvRecord(Instance, true, ttl, 0, 0, (ushort)Port, HostName),
                new TxtRecord(Instance, true, ttl, Txt()),
            };
            records.AddRange(Addresses.Select(a => new AddressRecord(HostName, true, ttl, a)));
            return records;
        }

        private List<string> Txt()
        {
            var txt = new List<string> { "txtvers=1", "room=" + RoomKey, "id=" + PeerId, "secret=" + (SecretRequired ? "1" : "0") };
            if (UserName != null) txt.Add("user=" + UserName);
            return txt;
        }

        /// <summary>
        /// The announcements that <paramref name="records"/> (one datagram's) spell out in full: a PTR of the service type,
        /// its instance's SRV and TXT, and the SRV target's addresses. Goodbyes are returned with no addresses.
        /// </summary>
        public static IEnumerable<(RoomAnnouncement Announcement, bool Goodbye)> Read(IEnumerable<DnsRecord> records)
        {
            var all = records.ToList();
            foreach (var ptr in all.OfType<PtrRecord>().Where(p => DnsName.Comparer.Equals(p.Name, ServiceType)))
            {
                var srv = all.OfType<SrvRecord>().FirstOrDefault(s => DnsName.Comparer.Equals(s.Name, ptr.Target));
                var txt = all.OfType<TxtRecord>().FirstOrDefault(t => DnsName.Comparer.Equals(t.Name, ptr.Target));
                if (srv == null || txt == null) continue;
                var fields = Fields(txt.Strings);
                if (!fields.TryGetValue("room", out var room) || !fields.TryGetValue("id", out var id) || !ChatLimits.IsPeerId(id)) continue;
                // Names from the wire end up on a console (Find-ChatRoom): only those a session could have announced pass.
                if (RoomName.Problem(room) != null || room != room.ToLowerInvariant()) continue;
                if (fields.TryGetValue("user", out var user) && ChatLimits.UserNameProblem(user) != null) continue;
                var addresses = all.OfType<AddressRecord>().Where(a => DnsName.Comparer.Equals(a.Name, srv.Target)).Select(a => a.Address).Distinct().ToList();
                bool goodbye = ptr.Ttl == 0;
                if (!goodbye && addresses.Count == 0) continue;
                yield return (new RoomAnnouncement(room, id, user, srv.Port, addresses, fields.TryGetValue("secret", out var s) && s == "1"), goodbye);
            }
        }

        private static Dictionary<string, string> Fields(IEnumerable<string> strings)
        {
            // RFC 6763 §6.4: keys are case-insensitive, and only the first of a repeated key counts.
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var text in strings)
            {
                int equals = text.IndexOf('=');
                if (equals <= 0) continue;
                var key = text.Substring(0, equals);
                if (!fields.ContainsKey(key)) fields[key] = text.Substring(equals + 1);
            }
            return fields;
        }
    }
}
