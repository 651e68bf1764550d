using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Bench.Reporting;
using PSGroupChat.Bench.Support;
using PSGroupChat.Bench.Systems;

namespace PSGroupChat.Bench.Benchmarks
{
    /// <summary>
    /// Issue 6, benchmark 5: the cmdlets in the real PowerShell engine (System.Management.Automation, hosted in this
    /// process, the module imported from out/PSGroupChat as a user imports it). Sending times
    /// <c>1..100000 | Send-ChatMessage -Session $s</c> to one member, a PSGroupChat session in this process; that every
    /// message arrived is checked, untimed. Receiving times one <c>Receive-ChatMessage</c> that drains 100,000
    /// messages a member sent beforehand (the session was started with an inbox that holds them all). Every session
    /// runs -Plaintext: the cmdlets' own cost is under test, and a TLS session started by Start-ChatPeer would load (or
    /// make) the user's lasting identity key and known-peers file.
    /// </summary>
    internal static class CmdletPath
    {
        public const string Title = "Cmdlet path, hosted PowerShell";
        public const string SendSystem = "Send-ChatMessage, 1..N piped";
        public const string ReceiveSystem = "Receive-ChatMessage (drain)";
        private const int WarmupMessages = 10_000;
        private const ChatLinks Links = ChatLinks.Plaintext;
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

        /// <summary>Start-ChatPeer's switch for <see cref="Links"/>; the warning it writes about clear links is expected here.</summary>
        private const string PlaintextSwitch = "-Plaintext -WarningAction SilentlyContinue";

        public static async Task RunAsync(BenchSettings settings, BenchReport report, Action<string> progress)
        {
            int messages = settings.CmdletMessages;
            progress($"{Title}: opening a runspace and importing {RepositoryPaths.ModuleManifest}");
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            Invoke(runspace, "Import-Module -Name $args[0] -ErrorAction Stop", RepositoryPaths.ModuleManifest);

            // The sink's inbox holds a whole run, as the reader's does: with the default 10,000, a drain starved for a
            // moment on a loaded machine could drop entries while Send-ChatMessage runs at 100,000+ a second.
            var sinkOptions = ChatMesh.Options("bench_sink", Links);
            sinkOptions.InboxCapacity = messages;
            var sink = ChatSession.Start(sinkOptions);
            var sinkDrain = new InboxDrain(sink, 0, null);
            var feeder = ChatSession.Start(ChatMesh.Options("bench_feeder", Links));
            try
            {
                Invoke(runspace, $"$s = Start-ChatPeer -UserName bench_sender -Port 0 -ListenAddress 127.0.0.1 {PlaintextSwitch} -Peer '127.0.0.1:{sink.Port}' -ErrorAction Stop");
                Invoke(runspace, $"$r = Start-ChatPeer -UserName bench_reader -Port 0 -ListenAddress 127.0.0.1 {PlaintextSwitch} -InboxCapacity {messages} -ErrorAction Stop");
                var reader = SessionOf(runspace, "r");
                await feeder.ConnectAsync(new ChatEndpoint("127.0.0.1", reader.Port)).ConfigureAwait(false);
                WaitUntil(() => sink.PeerCount == 1 && reader.PeerCount == 1, "the cmdlet sessions to link");
                Invoke(runspace, "$null = Receive-ChatMessage -Session $r"); // the Joined notice

                var send = report.Row(Title, SendSystem, "messages/s", 0);
                var receive = report.Row(Title, ReceiveSystem, "messages/s", 0);
                SendThroughCmdlet(runspace, sink, sinkDrain.Counter, WarmupMessages);
                ReceiveThroughCmdlet(runspace, feeder, reader, WarmupMessages);
                for (int run = 0; run < settings.CmdletRuns; run++)
                {
                    double sendSeconds = SendThroughCmdlet(runspace, sink, sinkDrain.Counter, messages);
                    double receiveSeconds = ReceiveThroughCmdlet(runspace, feeder, reader, messages);
                    send.Add(messages / sendSeconds);
                    receive.Add(messages / receiveSeconds);
                    progress($"{Title} run {run + 1}: send {messages / sendSeconds:N0}/s, receive {messages / receiveSeconds:N0}/s");
                }
                send.Note = $"`1..{messages} | Send-ChatMessage -Session $s`, one member linked; every message's arrival checked (untimed); " +
                    $"{Links.Describe()}: Start-ChatPeer -Plaintext, and the members' sessions alike";
                receive.Note = $"`$m = Receive-ChatMessage -Session $r` returning {messages:N0} queued messages";
                if (sink.MessagesDropped != 0 || reader.MessagesDropped != 0) report.AddProblem($"{Title}: inbox entries were dropped");
                Invoke(runspace, "Stop-ChatPeer -Session $s, $r");
            }
            finally
            {
                await Task.WhenAll(sink.StopAsync(), feeder.StopAsync()).ConfigureAwait(false);
                await sinkDrain.Running.ConfigureAwait(false);
            }
        }

        private static double SendThroughCmdlet(Runspace runspace, ChatSession sink, DeliveryCounter counter, int messages)
        {
            long before = counter.Count;
            counter.Expect(before + messages);
            var result = Invoke(runspace, $"$w = [System.Diagnostics.Stopwatch]::StartNew(); 1..{messages} | Send-ChatMessage -Session $s; $w.Stop(); $w.Elapsed.TotalSeconds");
            if (!counter.WaitForTarget(Limit))
                throw new TimeoutException($"the member received {counter.Count - before:N0} of the {messages:N0} messages sent with Send-ChatMessage within {Limit.TotalSeconds} s " +
                    $"(its inbox dropped {sink.MessagesDropped:N0} entries in all; it has {sink.PeerCount} member(s) linked)");
            return (double)result.Single().BaseObject;
        }

        private static double ReceiveThroughCmdlet(Runspace runspace, ChatSession feeder, ChatSession reader, int messages)
        {
            // Fill the reader's inbox, keeping the feeder within a window of what arrived (Send never blocks).
            long before = reader.MessagesReceived;
            for (int i = 0; i < messages; i++)
            {
                while (i - (reader.MessagesReceived - before) >= 4096) Thread.Sleep(1);
                feeder.Send("message " + i);
            }
            WaitUntil(() => reader.Inbox.Count == messages, $"{messages} messages to be queued for Receive-ChatMessage");
            var result = Invoke(runspace, "$w = [System.Diagnostics.Stopwatch]::StartNew(); $m = Receive-ChatMessage -Session $r; $w.Stop(); $m.Count; $w.Elapsed.TotalSeconds");
            int received = (int)result[0].BaseObject;
            if (received != messages) throw new InvalidOperationException($"Receive-ChatMessage returned {received} of {messages} queued messages");
            Invoke(runspace, "$m = $null");
            return (double)result[1].BaseObject;
        }

        private static ChatSession SessionOf(Runspace runspace, string variable)
        {
            var value = runspace.SessionStateProxy.GetVariable(variable);
            return (value is PSObject wrapped ? wrapped.BaseObject : value) as ChatSession
                ?? throw new InvalidOperationException($"${variable} is a {value?.GetType().FullName ?? "null"}, not this program's ChatSession type");
        }

        private static Collection<PSObject> Invoke(Runspace runspace, string script, params object[] args)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script);
            foreach (var arg in args) ps.AddArgument(arg);
            var output = ps.Invoke();
            if (ps.HadErrors) throw new InvalidOperationException($"'{script}' failed: {string.Join("; ", ps.Streams.Error.Select(e => e.ToString()))}");
            return output;
        }

        private static void WaitUntil(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + Limit;
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
                Thread.Sleep(5);
            }
        }
    }
}
