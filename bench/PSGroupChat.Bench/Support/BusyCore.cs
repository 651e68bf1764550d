using System;
using System.ComponentModel;
using System.Diagnostics;

namespace PSGroupChat.Bench.Support
{
    /// <summary>
    /// A competing process that keeps one core busy while it lives: a shell spinning in an empty loop, as other work on
    /// a shared machine would. Ended (by its own handle) when disposed.
    /// </summary>
    internal sealed class BusyCore : IDisposable
    {
        private readonly Process _spinner;

        private BusyCore(Process spinner) => _spinner = spinner;

        /// <summary>Starts the spinner; null where there is no POSIX shell to run it.</summary>
        public static BusyCore? Start()
        {
            if (OperatingSystem.IsWindows()) return null;
            try
            {
                var start = new ProcessStartInfo("sh") { UseShellExecute = false };
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add("while :; do :; done");
                var spinner = Process.Start(start);
                return spinner == null ? null : new BusyCore(spinner);
            }
            catch (Win32Exception)
            {
                return null;
            }
        }

        public void Dispose()
        {
            try
            {
                _spinner.Kill();
                _spinner.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // It has already exited.
            }
            _spinner.Dispose();
        }
    }
}
