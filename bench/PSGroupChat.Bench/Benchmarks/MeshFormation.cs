using System;
using System.Threading.Tasks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Support;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>
    /// Issue 6, benchmark 4: N peers start on loopback and each is given only the first peer's endpoint (all dial it
    /// at once); the time runs from before the first session starts until every session is linked to every other.
    /// Then the mesh idles and the managed heap, after a full collection, is compared with the heap before the
    /// sessions started: the difference divided by the link ends (N × (N − 1); each TCP connection has one end in
    /// each of its two peers, and a peer in its own process holds one) is the memory of one idle connection.
    /// </summary>
    internal static class MeshFormation
    {
        public const string Title = "Mesh formation";

        public static string System(int peers) => $"PSGroupChat, {peers} peers";

        /// <summary>
        /// The heap once what the previous mesh left behind is gone: a stopped session's last tasks (drain timeouts,
        /// closing sockets) hold it for a moment, and a baseline taken too early made one run's figure negative.
        /// </summary>
        private static async Task<long> SettledAfterTeardownAsync()
        {
            long previous = ManagedMemory.Settled();
            for (int i = 0; i < 20; i++)
            {
                await Task.Delay(250).ConfigureAwait(false);
                long now = ManagedMemory.Settled();
                if (previous - now < 256 * 1024) return now;
                previous = now;
            }
            return previous;
        }

        public static async Task RunAsync(BenchSettings settings, BenchReport report, Action<string> progress)
        {
            // One unrecorded formation first: JIT, pools and the previous benchmark's leftovers would skew the first baseline.
            await (await ChatMesh.FormAsync(settings.MeshSizes[0], settings.MeshLimit).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            foreach (int peers in settings.MeshSizes)
            {
                var formation = report.Row(Title, System(peers), "time to full mesh ms", 0);
                var memory = report.Row(Title, System(peers), "managed KiB per idle connection end", 1);
                var retried = report.Row(Title, System(peers), "joins retried (first peer busy)", 0);
                var mostRetried = report.Row(Title, System(peers), "most retries of one join", 0);
                var cpu = report.Row(Title, System(peers), "process CPU s while forming", 1);
                for (int run = 0; run < settings.MeshRuns(peers); run++)
                {
                    long before = await SettledAfterTeardownAsync().ConfigureAwait(false);
                    var cpuBefore = Environment.CpuUsage.TotalTime;
                    var mesh = await ChatMesh.FormAsync(peers, settings.MeshLimit).ConfigureAwait(false);
                    var cpuWhileForming = Environment.CpuUsage.TotalTime - cpuBefore;
                    try
                    {
                        formation.Add(mesh.FormationTime.TotalMilliseconds);
                        retried.Add(mesh.RetriedJoins);
                        mostRetried.Add(mesh.MostRetriesOfOneJoin);
                        cpu.Add(cpuWhileForming.TotalSeconds);
                        if (mesh.LeavesWhileForming > 0) report.AddProblem($"{Title}, {peers} peers, run {run + 1}: {mesh.LeavesWhileForming} links went down while the mesh formed ({mesh.LeaveReasons})");
                        await Task.Delay(settings.MeshSettle).ConfigureAwait(false); // let the last member lists, dials and handshakes finish
                        long after = ManagedMemory.Settled();
                        memory.Add((after - before) / 1024.0 / mesh.LinkEnds);
                        progress($"{Title}, {peers} peers, run {run + 1}: {mesh.FormationTime.TotalMilliseconds:N0} ms, " +
                            $"{(after - before) / 1024.0 / mesh.LinkEnds:N1} KiB per connection end");
                    }
                    finally
                    {
                        await mesh.DisposeAsync().ConfigureAwait(false);
                    }
                }
                retried.Note = "a peer turns away handshakes beyond 64 in progress at once (MaxPendingHandshakes); the joiner tries again after 50 ms × attempt";
                cpu.Note = "all peers' CPU time, from the first start until the mesh was full: at 2 cores, up to 2 s per second";
                memory.Note = $"{peers * (peers - 1):N0} connection ends ({peers * (peers - 1) / 2:N0} TCP connections, both ends in this process)";
            }
        }
    }
}
