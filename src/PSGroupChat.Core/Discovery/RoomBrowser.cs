using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// Keeps the rooms announced on the LAN: asks for the service type at start and then at doubling intervals, and
    /// holds every announcement it hears until its time to live ends or a goodbye withdraws it. At most
    /// <see cref="MaxAnnouncements"/> are held, so that a flood of fake ones costs bounded memory; they are hints only.
    /// </summary>
    internal sealed class RoomBrowser
    {
        /// <summary>How many announcements are held at once; more are ignored until some expire.</summary>
        public const int MaxAnnouncements = 256;

        private static readonly TimeSpan FirstQueryInterval = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan LongestQueryInterval = TimeSpan.FromMinutes(1); // every hold is refreshed before it ends

        private readonly object _gate = new object();
        private readonly Dictionary<string, (RoomAnnouncement Announcement, DateTimeOffset Expires)> _heard = new Dictionary<string, (RoomAnnouncement, DateTimeOffset)>(StringComparer.Ordinal);
        private readonly IMulticastLink _link;
        private readonly TimeProvider _time;

        public RoomBrowser(IMulticastLink link, TimeProvider time)
        {
            _link = link;
            _time = time;
        }

        /// <summary>Raised, on the receiving thread, for an announcement not held before or changed since.</summary>
        public event Action<RoomAnnouncement>? Heard;

        /// <summary>Raised, on the receiving thread, when a held announcement is withdrawn by its goodbye.</summary>
        public event Action<RoomAnnouncement>? Withdrawn;

        /// <summary>The announcements held now, expired ones left out.</summary>
        public IReadOnlyList<RoomAnnouncement> Current
        {
            get
            {
                var now = _time.GetUtcNow();
                lock (_gate) return _heard.Values.Where(h => h.Expires > now).Select(h => h.Announcement).ToList();
            }
        }

        /// <summary>Asks the group for the service type until cancelled: after 0 s, 1 s, 2 s, 4 s, … up to every minute.</summary>
        public async Task QueryAsync(CancellationToken cancellationToken)
        {
            var interval = FirstQueryInterval;
            while (true)
            {
                var known = KnownAnswers();
                var query = new DnsMessage(false, new[] { new DnsQuestion(RoomAnnouncement.ServiceType, DnsRecordType.Ptr) }, known, Array.Empty<DnsRecord>(), Array.Empty<DnsRecord>());
                await _link.SendAsync(DnsMessageWriter.Write(query), cancellationToken).ConfigureAwait(false);
                await _time.Delay(interval, cancellationToken).ConfigureAwait(false);
                interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, LongestQueryInterval.Ticks));
            }
        }

        /// <summary>
        /// The announcements to name in a query, each with the time it has left (§7.1): one heard less than half its life
        /// ago is not sent again, an older one is, so that every hold is renewed before it ends.
        /// </summary>
        private List<DnsRecord> KnownAnswers()
        {
            var now = _time.GetUtcNow();
            lock (_gate)
            {
                return _heard.Values.Where(h => h.Expires > now).Take(32)
                    .Select(h => (DnsRecord)new PtrRecord(RoomAnnouncement.ServiceType, (uint)(h.Expires - now).TotalSeconds, h.Announcement.Instance)).ToList();
            }
        }

        /// <summary>Takes in the announcements and goodbyes of one response, sent from <paramref name="source"/>.</summary>
        public void OnMessage(DnsMessage message, System.Net.IPAddress? source = null)
        {
            if (!message.IsResponse) return;
            var now = _time.GetUtcNow();
            foreach (var (read, goodbye) in RoomAnnouncement.Read(message.Records))
            {
                var announcement = read with { Source = source };
                bool heard = false, withdrawn = false;
                RoomAnnouncement? held = null;
                lock (_gate)
                {
                    if (goodbye)
                    {
                        withdrawn = _heard.TryGetValue(announcement.PeerId, out var old) && _heard.Remove(announcement.PeerId);
                        held = old.Announcement;
                    }
                    else if (_heard.TryGetValue(announcement.PeerId, out var old) || Room(now))
                    {
                        heard = old.Announcement == null || !Same(old.Announcement, announcement) || old.Expires <= now;
                        _heard[announcement.PeerId] = (announcement, now + TimeSpan.FromSeconds(RoomAnnouncement.Ttl));
                    }
                }
                if (heard) Heard?.Invoke(announcement);
                if (withdrawn && held != null) Withdrawn?.Invoke(held);
            }
        }

        /// <summary>Whether there is room for one more; expired ones are dropped first. Called under the lock.</summary>
        private bool Room(DateTimeOffset now)
        {
            if (_heard.Count < MaxAnnouncements) return true;
            foreach (var expired in _heard.Where(h => h.Value.Expires <= now).Select(h => h.Key).ToList()) _heard.Remove(expired);
            return _heard.Count < MaxAnnouncements;
        }

        private static bool Same(RoomAnnouncement a, RoomAnnouncement b) =>
            a.RoomKey == b.RoomKey && Equals(a.Source, b.Source) && a.UserName == b.UserName && a.Port == b.Port && a.SecretRequired == b.SecretRequired && a.Addresses.SequenceEqual(b.Addresses);
    }
}
