using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// Announces one session's room on the multicast DNS group, as RFC 6762 asks of a responder: three probes for its
    /// instance name, two announcements a second apart, an answer to every query for the service type or the instance
    /// (unless the asker already knows it, or it went out in the last second), and goodbyes when it stops.
    /// </summary>
    internal sealed class RoomAdvertiser
    {
        private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);
        private static readonly TimeSpan AnnounceInterval = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan RepeatGuard = TimeSpan.FromSeconds(1);

        private readonly IMulticastLink _link;
        private readonly TimeProvider _time;
        private long _lastAnsweredAt = long.MinValue;
        private int _conflicts;
        private volatile bool _announced;

        public RoomAdvertiser(IMulticastLink link, TimeProvider time, RoomAnnouncement announcement)
        {
            _link = link;
            _time = time;
            Announcement = announcement;
        }

        /// <summary>What is announced; renamed (a suffix on the peer id) if another responder claims the same instance.</summary>
        public RoomAnnouncement Announcement { get; private set; }

        /// <summary>Probes, then announces twice. Returns once the second announcement is out.</summary>
        public async Task AnnounceAsync(CancellationToken cancellationToken)
        {
            for (int probe = 0; probe < 3; probe++)
            {
                var records = Announcement.Records();
                var query = new DnsMessage(false, new[] { new DnsQuestion(Announcement.Instance, DnsRecordType.Any, UnicastResponse: true) },
                    Array.Empty<DnsRecord>(), records.Where(r => r is SrvRecord || r is TxtRecord).ToList(), Array.Empty<DnsRecord>());
                await _link.SendAsync(DnsMessageWriter.Write(query), cancellationToken).ConfigureAwait(false);
                await _time.Delay(ProbeInterval, cancellationToken).ConfigureAwait(false);
            }
            _announced = true;
            for (int announce = 0; announce < 2; announce++)
            {
                if (announce > 0) await _time.Delay(AnnounceInterval, cancellationToken).ConfigureAwait(false);
                await SendRecordsAsync(goodbye: false, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Withdraws the announcement: the same records with a time to live of 0.</summary>
        public Task SayGoodbyeAsync(CancellationToken cancellationToken) => SendRecordsAsync(goodbye: true, cancellationToken);

        /// <summary>Answers a query that asks for what this session announces; notices a responder claiming its name.</summary>
        public async Task OnMessageAsync(DnsMessage message, CancellationToken cancellationToken)
        {
            var own = Announcement;
            if (message.IsResponse)
            {
                // Another responder with records for our instance name but another address: give way by renaming (§9).
                if (message.Answers.OfType<SrvRecord>().Any(s => DnsName.Comparer.Equals(s.Name, own.Instance) && s.Ttl > 0 && (s.Port != own.Port || !DnsName.Comparer.Equals(s.Target, own.HostName))))
                {
                    Announcement = own with { Renamed = ++_conflicts };
                }
                return;
            }
            // Until its name is probed, a responder answers no query for it (RFC 6762 §8.1).
            if (!_announced) return;
            bool asked = message.Questions.Any(q => Asks(q, own.Instance, DnsRecordType.Srv) || Asks(q, RoomAnnouncement.ServiceType, DnsRecordType.Ptr));
            if (!asked) return;
            // Known-answer suppression (§7.1): the asker already holds our PTR for at least half its lifetime.
            if (message.Answers.OfType<PtrRecord>().Any(p => DnsName.Comparer.Equals(p.Target, own.Instance) && p.Ttl >= RoomAnnouncement.Ttl / 2)) return;
            long now = _time.GetTimestamp();
            long last = Interlocked.Read(ref _lastAnsweredAt);
            if (last != long.MinValue && _time.GetElapsedTime(last, now) < RepeatGuard) return;
            Interlocked.Exchange(ref _lastAnsweredAt, now);
            await SendRecordsAsync(goodbye: false, cancellationToken).ConfigureAwait(false);
        }

        private static bool Asks(DnsQuestion question, string name, DnsRecordType type) =>
            (question.Type == type || question.Type == DnsRecordType.Any) && DnsName.Comparer.Equals(question.Name, name);

        private Task SendRecordsAsync(bool goodbye, CancellationToken cancellationToken)
        {
            // An announcement counts for the repeat guard too (§6): a query racing it needs no second copy.
            if (!goodbye) Interlocked.Exchange(ref _lastAnsweredAt, _time.GetTimestamp());
            return _link.SendAsync(DnsMessageWriter.Write(DnsMessage.Response(Announcement.Records(goodbye))), cancellationToken);
        }
    }
}
