using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// A session's presence on the multicast DNS group: one receive loop feeding the browser (always) and the advertiser
    /// (when the session announces a room), the browser's queries, and the goodbyes on stop. Every task it starts is
    /// awaited by <see cref="DisposeAsync"/>. A datagram that is not a well-formed DNS message is counted and dropped.
    /// </summary>
    internal sealed class RoomDiscovery : IAsyncDisposable
    {
        private readonly IMulticastLink _link;
        private readonly RoomAdvertiser? _advertiser;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly List<Task> _sending = new List<Task>();
        private Task _receiving = Task.CompletedTask;
        private long _malformed;

        private RoomDiscovery(IMulticastLink link, TimeProvider time, RoomAnnouncement? announcement)
        {
            _link = link;
            Browser = new RoomBrowser(link, time);
            if (announcement != null) _advertiser = new RoomAdvertiser(link, time, announcement);
        }

        /// <summary>Starts browsing, and announcing <paramref name="announcement"/> when one is given.</summary>
        public static RoomDiscovery Start(IMulticastLink link, TimeProvider time, RoomAnnouncement? announcement)
        {
            var discovery = new RoomDiscovery(link, time, announcement);
            var token = discovery._stopping.Token;
            discovery._receiving = discovery.ReceiveAsync(token);
            discovery._sending.Add(discovery.Browser.QueryAsync(token));
            if (discovery._advertiser != null) discovery._sending.Add(discovery._advertiser.AnnounceAsync(token));
            return discovery;
        }

        /// <summary>The rooms heard on the LAN.</summary>
        public RoomBrowser Browser { get; }

        /// <summary>What this session announces, if anything.</summary>
        public RoomAnnouncement? Announcement => _advertiser?.Announcement;

        /// <summary>How many datagrams were dropped as malformed.</summary>
        public long Malformed => Interlocked.Read(ref _malformed);

        private async Task ReceiveAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var datagram = await _link.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                DnsMessage message;
                try
                {
                    message = DnsMessageReader.Read(datagram.Bytes);
                }
                catch (DnsFormatException)
                {
                    Interlocked.Increment(ref _malformed);
                    continue;
                }
                Browser.OnMessage(message, datagram.From.Address);
                if (_advertiser != null) await _advertiser.OnMessageAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Stops querying and announcing, withdraws the announcement, then closes the link and waits for every loop.</summary>
        public async ValueTask DisposeAsync()
        {
            _stopping.Cancel();
            foreach (var task in _sending) await Ended(task).ConfigureAwait(false);
            if (_advertiser != null)
            {
                using var goodbyeLimit = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try
                {
                    await _advertiser.SayGoodbyeAsync(goodbyeLimit.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException || e is System.Net.Sockets.SocketException)
                {
                    // A goodbye is a courtesy: without it, others forget the room when its time to live ends.
                }
            }
            // Closing the link is what ends a receive that cannot be cancelled.
            await _link.DisposeAsync().ConfigureAwait(false);
            await Ended(_receiving).ConfigureAwait(false);
            _stopping.Dispose();
        }

        private static async Task Ended(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
