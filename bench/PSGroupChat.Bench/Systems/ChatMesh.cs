using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// PSGroupChat sessions on loopback that formed a full mesh the way users form one: every peer is given only the
    /// first peer's endpoint and learns the rest from the member lists (gossip).
    /// </summary>
    internal sealed class ChatMesh : IAsyncDisposable
    {
        private ChatMesh(ChatSession[] peers, TimeSpan formation)
        {
            Peers = peers;
            FormationTime = formation;
        }

        public ChatSession[] Peers { get; }

        /// <summary>From before the first session started until every session was linked to every other.</summary>
        public TimeSpan FormationTime { get; }

        /// <summary>Links (one end of a member link each) once the mesh is full: n × (n − 1).</summary>
        public int LinkEnds => Peers.Length * (Peers.Length - 1);

        /// <summary>
        /// A session on 127.0.0.1, port 0, with the links named and the default options otherwise; with
        /// <paramref name="heartbeat"/>, that heartbeat and a peer timeout twelve of them long.
        /// </summary>
        public static ChatSessionOptions Options(string userName, ChatLinks links, TimeSpan? heartbeat = null)
        {
            var options = new ChatSessionOptions
            {
                UserName = userName,
                Port = 0,
                ListenAddress = IPAddress.Loopback,
                Plaintext = links == ChatLinks.Plaintext,
            };
            if (heartbeat is TimeSpan interval)
            {
                options.HeartbeatInterval = interval;
                options.PeerTimeout = TimeSpan.FromTicks(interval.Ticks * 12);
            }
            return options;
        }

        /// <summary>
        /// Starts <paramref name="size"/> peers, joins each through the first, and waits for the full mesh; throws
        /// <see cref="MeshNotFormedException"/> (having stopped every peer) when it is not full within <paramref name="limit"/>.
        /// </summary>
        public static async Task<ChatMesh> FormAsync(int size, ChatLinks links, TimeSpan limit)
        {
            int joins = 0, leaves = 0;
            long fullAt = 0;
            var full = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var peers = new ChatSession[size];
            // The mesh is full the moment the last missing link comes up, and every link that comes up raises PeerJoined.
            EventHandler<ChatMessageEventArgs> joined = (_, _) =>
            {
                Interlocked.Increment(ref joins);
                if (!IsFull(peers)) return;
                Interlocked.CompareExchange(ref fullAt, Stopwatch.GetTimestamp(), 0);
                full.TrySetResult(true);
            };
            var leaveReasons = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
            EventHandler<ChatMessageEventArgs> left = (_, e) =>
            {
                Interlocked.Increment(ref leaves);
                leaveReasons.AddOrUpdate($"{e.Message.Reason}: {Shorten(e.Message.Text)}", 1, (_, n) => n + 1);
            };

            long start = Stopwatch.GetTimestamp();
            Task<int>[] dials = Array.Empty<Task<int>>();
            try
            {
                for (int i = 0; i < size; i++)
                {
                    peers[i] = ChatSession.Start(Options($"peer{i}", links));
                    peers[i].PeerJoined += joined;
                    peers[i].PeerLeft += left;
                }
                var first = new ChatEndpoint("127.0.0.1", peers[0].Port);
                dials = peers.Skip(1).Select(p => JoinAsync(p, first)).ToArray();
                if (size > 1 && await Task.WhenAny(full.Task, Task.Delay(limit)).ConfigureAwait(false) != full.Task)
                {
                    var counts = string.Join(",", peers.Select(p => p?.PeerCount ?? 0));
                    var failed = dials.Count(d => d.IsFaulted);
                    var reason = dials.Where(d => d.IsFaulted).Select(d => d.Exception!.InnerException!.Message).FirstOrDefault();
                    throw new MeshNotFormedException($"a mesh of {size} ({links.SystemName()}) did not form within {limit.TotalSeconds} s: {joins} joins and {leaves} leaves " +
                        $"({Commonest(leaveReasons)}), " +
                        $"{failed} joins through the first peer failed{(reason == null ? "" : $" (first: {reason})")}, peer counts {counts}");
                }
                await Task.WhenAll(dials).ConfigureAwait(false);
            }
            catch
            {
                await StopAllAsync(peers.Where(p => p != null).ToArray()).ConfigureAwait(false);
                throw;
            }
            foreach (var peer in peers)
            {
                peer.PeerJoined -= joined;
                peer.PeerLeft -= left;
            }
            long end = size > 1 ? Interlocked.Read(ref fullAt) : Stopwatch.GetTimestamp();
            return new ChatMesh(peers, Stopwatch.GetElapsedTime(start, end))
            {
                RetriedJoins = dials.Sum(d => d.Result),
                MostRetriesOfOneJoin = dials.Length == 0 ? 0 : dials.Max(d => d.Result),
                LeavesWhileForming = Volatile.Read(ref leaves),
                LeaveReasons = Commonest(leaveReasons),
            };
        }

        /// <summary>Links that went down while the mesh formed (a timeout under load, a replaced duplicate): expected 0.</summary>
        public int LeavesWhileForming { get; private set; }

        /// <summary>The commonest reasons of those, for the report.</summary>
        public string LeaveReasons { get; private set; } = string.Empty;

        /// <summary>A leave's reason as the report counts it: its first 60 characters.</summary>
        internal static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 60) + "…";

        /// <summary>The three commonest leave reasons, with their counts, for the report.</summary>
        internal static string Commonest(IEnumerable<KeyValuePair<string, int>> reasons) =>
            string.Join("; ", reasons.OrderByDescending(r => r.Value).Take(3).Select(r => $"{r.Value} × {r.Key}"));

        private static bool IsFull(ChatSession[] peers)
        {
            foreach (var peer in peers)
            {
                if (peer == null || peer.PeerCount != peers.Length - 1) return false;
            }
            return true;
        }

        /// <summary>Joins attempts that had to be repeated: a peer refuses handshakes beyond MaxPendingHandshakes at once.</summary>
        public int RetriedJoins { get; private set; }

        /// <summary>The most times one join was turned away: the target is at most once.</summary>
        public int MostRetriesOfOneJoin { get; private set; }

        /// <summary>
        /// Joins through the first peer as a script would: a join the first peer turned away because too many handshakes
        /// were in progress (it closes the connection), or did not answer in time (its accept queue full on a busy
        /// machine), is tried again after a short pause.
        /// </summary>
        public static async Task<int> JoinAsync(ChatSession peer, ChatEndpoint first)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await peer.ConnectAsync(first).ConfigureAwait(false);
                    return attempt - 1;
                }
                catch (ChatException e) when ((e.Code == ChatErrorCode.HandshakeFailed || e.Code == ChatErrorCode.EndpointUnreachable) && attempt < 10)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt)).ConfigureAwait(false);
                }
            }
        }

        public ValueTask DisposeAsync() => new ValueTask(StopAllAsync(Peers));

        internal static Task StopAllAsync(ChatSession[] peers) => Task.WhenAll(peers.Select(p => p.StopAsync("benchmark done")));
    }
}
