using System;
using System.Linq;
using System.Threading.Tasks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Support;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>
    /// Issue 16's 250-peer mesh, with plaintext and TLS links, as rows of the mesh formation table: formed as
    /// <see cref="MeshFormation"/> forms its meshes, but across several processes of this program
    /// (<see cref="ProcessMesh"/>), as few as fit under the open-file limit (<see cref="OpenFileLimit.ProcessesFor"/>),
    /// since in one process the full mesh would hold 62,500 open files. Once per kind of link, in the full run only.
    /// Time, CPU and retried joins are measured as for the other meshes; the memory per connection is not, since it is
    /// spread over the processes (the in-process meshes measure it). A mesh not full within the limit is a "not formed"
    /// result, as there; so is a process that ended early, or a join through the first peer that failed for good. Nor is
    /// the mesh tried when a smaller mesh of the same links was not formed in this run.
    /// </summary>
    internal static class ProcessMeshFormation
    {
        /// <summary>The System column's name, e.g. "PSGroupChat, 250 peers (6 processes)".</summary>
        public static string System(ChatLinks links, int peers)
        {
            int? processes = OpenFileLimit.ProcessesFor(peers);
            return $"{MeshFormation.System(links, peers)} ({processes} process{(processes == 1 ? "" : "es")})";
        }

        public static async Task RunAsync(BenchSettings settings, BenchReport report, Action<string> progress)
        {
            if (settings.ProcessMeshSize is not int peers)
            {
                progress($"{MeshFormation.Title}: no mesh across processes in the {settings.Mode} run");
                return;
            }
            if (OpenFileLimit.ProcessesFor(peers) is not int processes)
            {
                report.AddProblem($"{MeshFormation.Title}, {peers} peers: not tried: not even one peer per process fits under the open-file limit");
                return;
            }
            foreach (var links in new[] { ChatLinks.Plaintext, ChatLinks.Tls })
            {
                string system = System(links, peers);
                int smaller = settings.MeshSizes.FirstOrDefault(size => report.Find(MeshFormation.Title, MeshFormation.System(links, size), MeshFormation.NotFormed) != null);
                if (smaller != 0) report.AddProblem($"{MeshFormation.Title}, {system}: not tried, because the {smaller}-peer mesh was not formed");
                else await FormAsync(settings, report, progress, links, peers, processes, system).ConfigureAwait(false);
            }
        }

        private static async Task FormAsync(BenchSettings settings, BenchReport report, Action<string> progress, ChatLinks links, int peers, int processes, string system)
        {
            var limit = settings.ProcessMeshLimit;
            var formation = report.Row(MeshFormation.Title, system, MeshFormation.FormationTime, 0);
            var retried = report.Row(MeshFormation.Title, system, MeshFormation.JoinsRetried, 0);
            var mostRetried = report.Row(MeshFormation.Title, system, MeshFormation.MostRetries, 0);
            var cpu = report.Row(MeshFormation.Title, system, MeshFormation.CpuWhileForming, 1);
            int fewest = peers / processes, most = (peers + processes - 1) / processes;
            formation.Note = $"{links.Describe()}; {processes} processes of this program host {(fewest == most ? $"{most}" : $"{fewest} or {most}")} peers each " +
                $"(the open-file limit), and start and warm up before the clock runs; heartbeat {MeshPart.Heartbeat.TotalSeconds:0} s, peer timeout 60 s (MeshPart.Heartbeat says why); " +
                $"a mesh not full within {limit.TotalSeconds:0} s counts as not formed";
            retried.Note = $"{peers - 1} joins reach the first peer at once, from all the processes; as in one process, it turns away handshakes beyond {new ChatSessionOptions().MaxPendingHandshakes} " +
                "in progress, and the joiner tries again after 50 ms × attempt";
            cpu.Note = $"the {processes} processes' CPU time, from before the first peer started until the mesh was full: at 2 cores, up to 2 s per second";
            progress($"{MeshFormation.Title}, {system}: starting the processes");
            ProcessMesh mesh;
            try
            {
                mesh = await ProcessMesh.FormAsync(peers, links, processes, limit, line => progress($"{MeshFormation.Title}, {line}")).ConfigureAwait(false);
            }
            catch (MeshNotFormedException e)
            {
                report.Row(MeshFormation.Title, system, MeshFormation.NotFormed, 0).Add(1);
                report.AddProblem($"{MeshFormation.Title}, {system}: not formed: {e.Message}");
                progress($"{MeshFormation.Title}, {system}: NOT FORMED: {e.Message}");
                return;
            }
            try
            {
                formation.Add(mesh.FormationTime.TotalMilliseconds);
                retried.Add(mesh.RetriedJoins);
                mostRetried.Add(mesh.MostRetriesOfOneJoin);
                cpu.Add(mesh.CpuWhileForming.TotalSeconds);
                if (mesh.LeavesWhileForming > 0) report.AddProblem($"{MeshFormation.Title}, {system}: {mesh.LeavesWhileForming} links went down while the mesh formed ({mesh.LeaveReasons})");
                progress($"{MeshFormation.Title}, {system}: {mesh.FormationTime.TotalMilliseconds:N0} ms, {mesh.CpuWhileForming.TotalSeconds:N1} s CPU, " +
                    $"{mesh.RetriedJoins} joins retried");
            }
            finally
            {
                await mesh.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
