using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// This program as one process of a <see cref="ProcessMesh"/> (the hidden argument
    /// <c>--mesh-part &lt;links&gt; &lt;first peer&gt; &lt;peers&gt; &lt;mesh size&gt;</c>): it hosts some of the mesh's peers,
    /// with <see cref="ChatMesh.Options"/> as in the in-process meshes, and talks with the parent in lines. On stdout:
    /// <see cref="Ready"/> once warmed up; <see cref="First"/> and peer 0's endpoint when it hosts peer 0;
    /// <see cref="Full"/> and <see cref="Short"/> each time its peers become all linked to the whole mesh or stop being
    /// so; <see cref="Links"/> and its peers' members between them, every second; <see cref="Left"/> and the reason for
    /// each link that went down; <see cref="Joined"/> with the retries once every join through peer 0 succeeded, or
    /// <see cref="Failed"/> and why one did not. On stdin: <see cref="Go"/>, with peer 0's endpoint unless this process
    /// hosts peer 0; then nothing until the parent closes stdin, and the process stops its peers and ends (so it also
    /// ends when the parent does).
    /// </summary>
    internal static class MeshPart
    {
        public const string Argument = "--mesh-part";

        /// <summary>
        /// The heartbeat of a chat this large on one machine (peer timeout 60 s): every link end sends a ping per heartbeat
        /// and reads one, and at the default 1 s the pings of 62,250 link ends were the largest part of a forming process's
        /// CPU (perf: sendto and recvfrom 27 %), both cores stayed busy and the mesh did not form (2026-12-01: 46,238 of
        /// 62,250 link ends in 180 s in plaintext, 29,536 with TLS). Spread over 250 machines, a peer's own 249 pings a
        /// second cost little.
        /// </summary>
        public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);
        public const string Ready = "ready";
        public const string Go = "go";
        public const string First = "first";
        public const string Full = "full";
        public const string Short = "short";
        public const string Left = "left";
        public const string Links = "links";
        public const string Joined = "joined";
        public const string Failed = "failed";

        /// <summary>The arguments that make a process host <paramref name="peers"/> peers, from peer <paramref name="first"/> on.</summary>
        public static string[] Arguments(ChatLinks links, int first, int peers, int meshSize) =>
            new[] { Argument, links.ToString(), first.ToString(), peers.ToString(), meshSize.ToString() };

        public static async Task<int> RunAsync(string[] args)
        {
            var links = Enum.Parse<ChatLinks>(args[1]);
            int first = int.Parse(args[2]), count = int.Parse(args[3]), meshSize = int.Parse(args[4]);
            var input = new StreamReader(Console.OpenStandardInput());

            // Start-up is not formation: JIT (tiered compilation is off, so every method is compiled fully at its first
            // call) and the first TLS handshakes happen here, in a mesh of 10 as the in-process meshes' unrecorded first
            // formation, before the parent's clock runs.
            await (await ChatMesh.FormAsync(10, links, TimeSpan.FromSeconds(30)).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            Console.WriteLine(Ready);
            var go = (await input.ReadLineAsync().ConfigureAwait(false))?.Split(' ');
            if (go == null || go[0] != Go) return 0; // the parent is gone or gave up

            var peers = new ChatSession[count];
            var gate = new object();
            bool full = false;
            // Only the parent can tell when the whole mesh is full; this process tells it when its own peers are.
            void Check()
            {
                lock (gate)
                {
                    bool now = peers.All(p => p != null && p.PeerCount == meshSize - 1);
                    if (now == full) return;
                    full = now;
                    Console.WriteLine(now ? Full : Short);
                }
            }
            EventHandler<ChatMessageEventArgs> joined = (_, _) => Check();
            EventHandler<ChatMessageEventArgs> left = (_, e) =>
            {
                Console.WriteLine($"{Left} {e.Message.Reason}: {e.Message.Text.Replace('\n', ' ')}");
                Check();
            };
            var peer0 = first == 0 ? null : ChatEndpoint.Parse(go[1]);
            for (int i = 0; i < count; i++)
            {
                peers[i] = ChatSession.Start(ChatMesh.Options($"peer{first + i}", links, Heartbeat));
                peers[i].PeerJoined += joined;
                peers[i].PeerLeft += left;
                if (peer0 != null) continue;
                peer0 = new ChatEndpoint("127.0.0.1", peers[0].Port);
                Console.WriteLine($"{First} {peer0}"); // the other processes wait for it, this one does not
            }
            _ = ReportJoinsAsync(peers.Skip(first == 0 ? 1 : 0).Select(p => ChatMesh.JoinAsync(p, peer0!)).ToArray());
            using var stopping = new CancellationTokenSource();
            _ = ReportLinksAsync(peers, stopping.Token);

            while (await input.ReadLineAsync().ConfigureAwait(false) != null)
            {
            }
            stopping.Cancel();
            foreach (var peer in peers)
            {
                peer.PeerJoined -= joined;
                peer.PeerLeft -= left;
            }
            await ChatMesh.StopAllAsync(peers).ConfigureAwait(false);
            return 0;
        }

        /// <summary>Says every second how many members its peers have between them, until <paramref name="stopping"/>.</summary>
        private static async Task ReportLinksAsync(ChatSession[] peers, CancellationToken stopping)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
                    Console.WriteLine($"{Links} {peers.Sum(p => p.PeerCount)}");
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping: the parent has its figure, or gave up.
            }
        }

        private static async Task ReportJoinsAsync(Task<int>[] joins)
        {
            try
            {
                await Task.WhenAll(joins).ConfigureAwait(false);
                Console.WriteLine($"{Joined} {joins.Sum(j => j.Result)} {(joins.Length == 0 ? 0 : joins.Max(j => j.Result))}");
            }
            catch (Exception e)
            {
                Console.WriteLine($"{Failed} {e.Message.Replace('\n', ' ')}");
            }
        }
    }
}
