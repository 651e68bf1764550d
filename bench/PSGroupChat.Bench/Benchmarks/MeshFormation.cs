using System;
using System.Threading.Tasks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Support;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>
    /// Issue 6, benchmark 4, with plaintext and TLS links as separate rows (issues 15 and 16): N peers start on
    /// loopback and each is given only the first peer's endpoint (all dial it at once); the time runs from before the
    /// first session starts until every session is linked to every other. Then the mesh idles and the managed heap,
    /// after a full collection, is compared with the heap before the sessions started: the difference divided by the
    /// link ends (N × (N − 1); each TCP connection has one end in each of its two peers, and a peer in its own process
    /// holds one) is the memory of one idle connection. A mesh that is not full within the limit is a figure too ("runs
    /// not formed"), not the end of the program: the larger meshes of the same links are then not tried. Neither is a
    /// mesh whose sockets would not fit under the process's open-file limit (<see cref="OpenFileLimit"/>).
    /// </summary>
    internal static class MeshFormation
    {
        public const string Title = "Mesh formation";

        /// <summary>The row counting formation runs that were not full within the limit; present only when one was not.</summary>
        public const string NotFormed = "runs not formed within the limit";

        public const string FormationTime = "time to full mesh ms";

        public const string JoinsRetried = "joins retried (first peer busy)";

        public const string MostRetries = "most retries of one join";

        public const string CpuWhileForming = "process CPU s while forming";

        public static string System(ChatLinks links, int peers) => $"{links.SystemName()}, {peers} peers";

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
            foreach (var links in new[] { ChatLinks.Plaintext, ChatLinks.Tls })
            {
                var sizes = settings.MeshSizes;
                var limit = settings.MeshLimit(links);
                // One unrecorded formation first: JIT, pools and the previous mesh's leftovers would skew the first baseline.
                await (await ChatMesh.FormAsync(sizes[0], links, limit).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
                for (int s = 0; s < sizes.Length; s++)
                {
                    string? why = OpenFileLimit.TooFewFor(sizes[s]);
                    if (why == null && await FormRepeatedlyAsync(settings, report, progress, links, sizes[s], limit).ConfigureAwait(false)) continue;
                    if (why != null) report.AddProblem($"{Title}, {System(links, sizes[s])}: not tried: {why}");
                    // A larger mesh of the same links would only cost the run another limit's wait, or the process.
                    for (int larger = s + 1; larger < sizes.Length; larger++)
                        report.AddProblem($"{Title}, {System(links, sizes[larger])}: not tried, because the {sizes[s]}-peer mesh was not formed");
                    break;
                }
            }
        }

        /// <summary>The runs of one mesh size; false when one was not full within the limit (the rest of its runs are skipped).</summary>
        private static async Task<bool> FormRepeatedlyAsync(BenchSettings settings, BenchReport report, Action<string> progress, ChatLinks links, int peers, TimeSpan limit)
        {
            string system = System(links, peers);
            var formation = report.Row(Title, system, FormationTime, 0);
            var memory = report.Row(Title, system, "managed KiB per idle connection end", 1);
            var retried = report.Row(Title, system, JoinsRetried, 0);
            var mostRetried = report.Row(Title, system, MostRetries, 0);
            var cpu = report.Row(Title, system, CpuWhileForming, 1);
            formation.Note = $"{links.Describe()}; a mesh not full within {limit.TotalSeconds:0} s counts as not formed";
            retried.Note = $"a peer turns away handshakes beyond {new ChatSessionOptions().MaxPendingHandshakes} in progress at once (MaxPendingHandshakes); the joiner tries again after 50 ms × attempt";
            cpu.Note = "all peers' CPU time, from the first start until the mesh was full: at 2 cores, up to 2 s per second";
            memory.Note = $"{peers * (peers - 1):N0} connection ends ({peers * (peers - 1) / 2:N0} TCP connections, both ends in this process)";
            int runs = settings.MeshRuns(links, peers);
            for (int run = 0; run < runs; run++)
            {
                long before = await SettledAfterTeardownAsync().ConfigureAwait(false);
                var cpuBefore = Environment.CpuUsage.TotalTime;
                ChatMesh mesh;
                try
                {
                    mesh = await ChatMesh.FormAsync(peers, links, limit).ConfigureAwait(false);
                }
                catch (MeshNotFormedException e)
                {
                    report.Row(Title, system, NotFormed, 0).Add(1);
                    report.AddProblem($"{Title}, {system}, run {run + 1} of {runs}: not formed: {e.Message}" +
                        (run + 1 < runs ? $"; its {runs - run - 1} remaining runs skipped" : ""));
                    progress($"{Title}, {system}, run {run + 1}: NOT FORMED within {limit.TotalSeconds:0} s");
                    return false;
                }
                var cpuWhileForming = Environment.CpuUsage.TotalTime - cpuBefore;
                try
                {
                    formation.Add(mesh.FormationTime.TotalMilliseconds);
                    retried.Add(mesh.RetriedJoins);
                    mostRetried.Add(mesh.MostRetriesOfOneJoin);
                    cpu.Add(cpuWhileForming.TotalSeconds);
                    if (mesh.LeavesWhileForming > 0) report.AddProblem($"{Title}, {system}, run {run + 1}: {mesh.LeavesWhileForming} links went down while the mesh formed ({mesh.LeaveReasons})");
                    await Task.Delay(settings.MeshSettle).ConfigureAwait(false); // let the last member lists, dials and handshakes finish
                    long after = ManagedMemory.Settled();
                    memory.Add((after - before) / 1024.0 / mesh.LinkEnds);
                    progress($"{Title}, {system}, run {run + 1}: {mesh.FormationTime.TotalMilliseconds:N0} ms, " +
                        $"{(after - before) / 1024.0 / mesh.LinkEnds:N1} KiB per connection end");
                }
                finally
                {
                    await mesh.DisposeAsync().ConfigureAwait(false);
                }
            }
            return true;
        }
    }
}
