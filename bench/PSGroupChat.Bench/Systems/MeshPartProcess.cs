using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// One process of a <see cref="ProcessMesh"/> as the parent sees it: this program started as a <see cref="MeshPart"/>,
    /// its stdout lines handed to the parent, its stdin the parent's to write and close, its CPU time, and its end, by
    /// itself or killed, so that no process outlives the benchmark.
    /// </summary>
    internal sealed class MeshPartProcess : IDisposable
    {
        private const int ErrorLinesKept = 5;

        private readonly Process _process;
        private readonly Queue<string> _lastErrors = new Queue<string>();

        private MeshPartProcess(Process process, int index, int firstPeer, int peers)
        {
            _process = process;
            Index = index;
            FirstPeer = firstPeer;
            Peers = peers;
        }

        public int Index { get; }

        public int FirstPeer { get; }

        public int Peers { get; }

        /// <summary>It said <see cref="MeshPart.Ready"/>.</summary>
        public bool IsReady { get; set; }

        /// <summary>Its last word on its peers was <see cref="MeshPart.Full"/>, not <see cref="MeshPart.Short"/>.</summary>
        public bool IsFull { get; set; }

        /// <summary>The members its peers had between them when it last said (<see cref="MeshPart.Links"/>).</summary>
        public int Links { get; set; }

        /// <summary>Its joins through peer 0 all succeeded (<see cref="MeshPart.Joined"/>), with these retries.</summary>
        public (int Retried, int MostRetries)? Joins { get; set; }

        /// <summary>CPU time the process has used so far, all its threads.</summary>
        public TimeSpan CpuTime => _process.TotalProcessorTime;

        /// <summary>
        /// Starts the process for <paramref name="peers"/> peers from <paramref name="firstPeer"/> on; each line it writes
        /// to stdout goes to <paramref name="lines"/>, and a null line when its stdout closes.
        /// </summary>
        public static MeshPartProcess Start(int index, ChatLinks links, int firstPeer, int peers, int meshSize, ChannelWriter<(MeshPartProcess Part, string? Line)> lines)
        {
            var start = new ProcessStartInfo
            {
                FileName = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program's process is unknown"),
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // Run as "dotnet PSGroupChat.Bench.dll", the process is the .NET host, which needs the program named again.
            if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(typeof(MeshPart).Assembly.Location);
            foreach (var argument in MeshPart.Arguments(links, firstPeer, peers, meshSize)) start.ArgumentList.Add(argument);
            var process = new Process { StartInfo = start };
            var part = new MeshPartProcess(process, index, firstPeer, peers);
            process.ErrorDataReceived += (_, e) => part.KeepError(e.Data);
            process.Start();
            process.BeginErrorReadLine();
            _ = part.ReadAsync(lines);
            return part;
        }

        public void Send(string line) => _process.StandardInput.WriteLine(line); // AutoFlush: the child waits for it

        /// <summary>How the process ended, with the last lines it wrote to stderr: for a process that ended too early.</summary>
        public async Task<string> EndingAsync()
        {
            using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                try
                {
                    await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return "its output closed, but it is still running";
                }
            }
            lock (_lastErrors)
            {
                return $"it ended with exit code {_process.ExitCode}" + (_lastErrors.Count == 0 ? "" : $" (stderr: {string.Join(" / ", _lastErrors)})");
            }
        }

        /// <summary>
        /// Closes its stdin, which makes it stop its peers and end; kills it if it has not ended within
        /// <paramref name="grace"/>.
        /// </summary>
        public async Task StopAsync(TimeSpan grace)
        {
            try
            {
                _process.StandardInput.Close();
                using var wait = new CancellationTokenSource(grace);
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException || e is IOException)
            {
                // Not ended within the grace (or its stdin was gone already): Dispose kills it.
            }
            finally
            {
                Dispose();
            }
        }

        /// <summary>Kills the process if it still runs.</summary>
        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (Exception e) when (e is InvalidOperationException || e is Win32Exception)
            {
                // It ended between the look and the kill.
            }
            _process.Dispose();
        }

        public override string ToString() => $"process {Index + 1} (peers {FirstPeer} to {FirstPeer + Peers - 1})";

        private async Task ReadAsync(ChannelWriter<(MeshPartProcess Part, string? Line)> lines)
        {
            try
            {
                string? line;
                while ((line = await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false)) != null) lines.TryWrite((this, line));
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is InvalidOperationException)
            {
                // Disposed while reading: the parent is done with it.
            }
            lines.TryWrite((this, null));
        }

        private void KeepError(string? line)
        {
            if (string.IsNullOrWhiteSpace(line)) return;
            lock (_lastErrors)
            {
                _lastErrors.Enqueue(line.Trim());
                if (_lastErrors.Count > ErrorLinesKept) _lastErrors.Dequeue();
            }
        }
    }
}
