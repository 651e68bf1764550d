using System;
using System.Management.Automation;
using PSGroupChat.Tests.Harness;

namespace PSGroupChat.Tests.Room
{
    /// <summary>A script running in the room's runspace while the test watches the screen and acts on the other peers.</summary>
    public sealed class RoomRun : IDisposable
    {
        private readonly PowerShell _ps;
        private readonly PSDataCollection<PSObject> _output = new PSDataCollection<PSObject>();
        private readonly IAsyncResult _running;
        private readonly ScriptedHost _host;

        public RoomRun(PowerShellHost room, ScriptedHost host, string script)
        {
            _host = host;
            _ps = room.Create(script);
            _running = _ps.BeginInvoke<PSObject, PSObject>(null, _output);
        }

        public PSInvocationState State => _ps.InvocationStateInfo.State;

        /// <summary>Stops the pipeline, as Ctrl+C does when the console host catches it outside ReadKey.</summary>
        public void Stop() => _ps.Stop();

        /// <summary>Waits for the script to end and returns its streams; a script still running after the limit fails the test.</summary>
        public ScriptResult Finish(TimeSpan? limit = null)
        {
            var max = limit ?? TimeSpan.FromSeconds(90);
            if (!_running.AsyncWaitHandle.WaitOne(max))
            {
                _ps.Stop();
                throw new TimeoutException($"The room did not end within {max.TotalSeconds:0} s. Screen:\n{_host.Screen}");
            }
            return ScriptResult.Collect(_ps, _running, _output);
        }

        /// <summary>Finishes, failing the test with the screen when the script wrote an error.</summary>
        public ScriptResult FinishCleanly()
        {
            var result = Finish();
            Xunit.Assert.True(result.Errors.Count == 0, result.ErrorText + "\nScreen:\n" + _host.Screen);
            return result;
        }

        public void Dispose()
        {
            if (_ps.InvocationStateInfo.State == PSInvocationState.Running) _ps.Stop();
            _ps.Dispose();
        }
    }
}
