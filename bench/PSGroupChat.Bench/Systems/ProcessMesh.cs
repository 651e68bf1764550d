using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// A full mesh of PSGroupChat peers spread over several processes of this program (<see cref="MeshPart"/>), for a
    /// mesh whose sockets do not fit under one process's open-file limit (Support/OpenFileLimit.cs). It forms as a
    /// <see cref="ChatMesh"/> does: every peer is given only peer 0's endpoint, all dial it at once, and the rest is
    /// learned through the member lists. The processes start and warm up first; the time runs from before peer 0
    /// starts until every process has said that its peers are all linked to the whole mesh. Every peer listens on
    /// 127.0.0.1, as in one process: the ephemeral ports do not run out, because a dial takes a local port per remote
    /// endpoint (only the address and port pairs of both ends must differ) and no peer is dialed more than a few hundred
    /// times; nor could the peers be spread over 127.0.0.x, because a member is announced at the address its link came
    /// from, and a dial to 127.0.0.2 comes from 127.0.0.1.
    /// </summary>
    internal sealed class ProcessMesh : IAsyncDisposable
    {
        /// <summary>How long the processes may take to start and warm up: not timed, but not waited for without end.</summary>
        private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

        /// <summary>How long after the mesh is full the joins through peer 0 may take to report: they ended before it was.</summary>
        private static readonly TimeSpan JoinsReportLimit = TimeSpan.FromSeconds(10);

        /// <summary>How often a mesh that is still forming says how far it got: forming one takes minutes.</summary>
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(15);

        /// <summary>How long the processes may take to stop their peers before they are killed.</summary>
        private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);

        private readonly MeshPartProcess[] _parts;

        private ProcessMesh(MeshPartProcess[] parts) => _parts = parts;

        /// <summary>From before peer 0 started until every peer was linked to every other.</summary>
        public TimeSpan FormationTime { get; private set; }

        /// <summary>The CPU time of all the processes over the same span.</summary>
        public TimeSpan CpuWhileForming { get; private set; }

        /// <summary>Join attempts through peer 0 that had to be repeated, as <see cref="ChatMesh.RetriedJoins"/>.</summary>
        public int RetriedJoins { get; private set; }

        /// <summary>The most times one join was turned away.</summary>
        public int MostRetriesOfOneJoin { get; private set; }

        /// <summary>Links that went down while the mesh formed: expected 0.</summary>
        public int LeavesWhileForming { get; private set; }

        /// <summary>The commonest reasons of those, for the report.</summary>
        public string LeaveReasons { get; private set; } = string.Empty;

        /// <summary>
        /// Starts <paramref name="processes"/> processes that host <paramref name="size"/> peers between them, as evenly as
        /// can be, and waits for the full mesh; throws <see cref="MeshNotFormedException"/> when it is not full within
        /// <paramref name="limit"/> or a process ended first. Every process is killed on the way out of a failure.
        /// <paramref name="progress"/> hears how far the mesh got, now and then.
        /// </summary>
        public static async Task<ProcessMesh> FormAsync(int size, ChatLinks links, int processes, TimeSpan limit, Action<string> progress)
        {
            var lines = Channel.CreateUnbounded<(MeshPartProcess Part, string? Line)>(new UnboundedChannelOptions { SingleReader = true });
            var parts = new List<MeshPartProcess>();
            var leaveReasons = new Dictionary<string, int>();
            int leaves = 0;
            bool formed = false;
            string? peer0 = null;
            long start = 0, nextProgress = long.MaxValue;
            TimeSpan CpuSince(TimeSpan[] before) => parts.Select((p, i) => p.CpuTime - before[i]).Aggregate(TimeSpan.Zero, (sum, t) => sum + t);
            string HowFar() => start == 0
                ? "before the clock started"
                : $"{parts.Sum(p => p.Links):N0} of {size * (size - 1):N0} link ends up after {Stopwatch.GetElapsedTime(start).TotalSeconds:0} s";

            // Reads what the processes say until done() holds; a process that ended, or a join that failed, ends it all.
            async Task ReadUntilAsync(Func<bool> done, CancellationToken cancellationToken)
            {
                while (!done())
                {
                    var (part, line) = await lines.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    if (line == null) throw new MeshNotFormedException($"{part}: {await part.EndingAsync().ConfigureAwait(false)}; {HowFar()}");
                    var words = line.Split(' ', 2);
                    switch (words[0])
                    {
                        case MeshPart.Ready:
                            part.IsReady = true;
                            break;
                        case MeshPart.First:
                            peer0 = words[1];
                            break;
                        case MeshPart.Full:
                            part.IsFull = true;
                            break;
                        case MeshPart.Short:
                            part.IsFull = false;
                            break;
                        case MeshPart.Left when !formed:
                            leaves++;
                            string reason = ChatMesh.Shorten(words[1]);
                            leaveReasons[reason] = leaveReasons.TryGetValue(reason, out int n) ? n + 1 : 1;
                            break;
                        case MeshPart.Left:
                            break;
                        case MeshPart.Links:
                            part.Links = int.Parse(words[1]);
                            break;
                        case MeshPart.Joined:
                            var retries = words[1].Split(' ');
                            part.Joins = (int.Parse(retries[0]), int.Parse(retries[1]));
                            break;
                        case MeshPart.Failed:
                            throw new MeshNotFormedException($"{part}: a join through peer 0 failed: {words[1]}; {HowFar()}");
                        default:
                            throw new InvalidOperationException($"{part} wrote '{line}', which is no line of a mesh part");
                    }
                    if (Stopwatch.GetTimestamp() < nextProgress) continue;
                    progress($"{links.SystemName()}, {size} peers: {HowFar()}");
                    nextProgress += (long)(ProgressInterval.TotalSeconds * Stopwatch.Frequency);
                }
            }

            try
            {
                for (int i = 0, first = 0; i < processes; i++)
                {
                    int count = size / processes + (i < size % processes ? 1 : 0);
                    parts.Add(MeshPartProcess.Start(i, links, first, count, size, lines.Writer));
                    first += count;
                }
                using (var starting = new CancellationTokenSource(StartLimit))
                {
                    try
                    {
                        await ReadUntilAsync(() => parts.All(p => p.IsReady), starting.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        throw new InvalidOperationException($"{parts.Count(p => !p.IsReady)} of {processes} mesh processes were not ready within {StartLimit.TotalSeconds:0} s");
                    }
                    catch (MeshNotFormedException e)
                    {
                        throw new InvalidOperationException($"a mesh process did not start: {e.Message}", e);
                    }
                }

                var cpuBefore = parts.Select(p => p.CpuTime).ToArray();
                start = Stopwatch.GetTimestamp();
                nextProgress = start + (long)(ProgressInterval.TotalSeconds * Stopwatch.Frequency);
                using var forming = new CancellationTokenSource(limit);
                try
                {
                    parts[0].Send(MeshPart.Go);
                    await ReadUntilAsync(() => peer0 != null, forming.Token).ConfigureAwait(false);
                    foreach (var part in parts.Skip(1)) part.Send($"{MeshPart.Go} {peer0}");
                    await ReadUntilAsync(() => parts.All(p => p.IsFull), forming.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw new MeshNotFormedException($"a mesh of {size} ({links.SystemName()}) in {processes} processes did not form within {limit.TotalSeconds:0} s: " +
                        $"{HowFar()}, {parts.Count(p => p.IsFull)} of {processes} processes had all their peers linked to the whole mesh, " +
                        $"{parts.Count(p => p.Joins != null)} had joined all theirs through peer 0; " +
                        $"{leaves} links went down{(leaves == 0 ? "" : $" ({ChatMesh.Commonest(leaveReasons)})")}; " +
                        $"the processes used {CpuSince(cpuBefore).TotalSeconds:N0} s of CPU");
                }
                long fullAt = Stopwatch.GetTimestamp();
                var cpu = CpuSince(cpuBefore);
                formed = true;
                nextProgress = long.MaxValue;

                using (var reporting = new CancellationTokenSource(JoinsReportLimit))
                {
                    try
                    {
                        await ReadUntilAsync(() => parts.All(p => p.Joins != null), reporting.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        throw new InvalidOperationException($"the mesh was full, but {parts.Count(p => p.Joins == null)} processes did not report their joins " +
                            $"within {JoinsReportLimit.TotalSeconds:0} s");
                    }
                }
                return new ProcessMesh(parts.ToArray())
                {
                    FormationTime = Stopwatch.GetElapsedTime(start, fullAt),
                    CpuWhileForming = cpu,
                    RetriedJoins = parts.Sum(p => p.Joins!.Value.Retried),
                    MostRetriesOfOneJoin = parts.Max(p => p.Joins!.Value.MostRetries),
                    LeavesWhileForming = leaves,
                    LeaveReasons = ChatMesh.Commonest(leaveReasons),
                };
            }
            catch
            {
                foreach (var part in parts) part.Dispose();
                throw;
            }
        }

        /// <summary>Tells every process to stop its peers, and kills those that have not ended in time.</summary>
        public ValueTask DisposeAsync() => new ValueTask(Task.WhenAll(_parts.Select(p => p.StopAsync(StopLimit))));
    }
}
