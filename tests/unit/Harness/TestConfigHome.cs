using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>
    /// Before any test runs: identity keys and known-peers files that Start-ChatPeer makes go to a folder of this test
    /// run (XDG_CONFIG_HOME), never to the real ~/.config, whoever runs the tests and however.
    /// </summary>
    internal static class TestConfigHome
    {
        [ModuleInitializer]
        internal static void Redirect()
        {
            // The random part keeps a run from inheriting the keys and known peers of an earlier run that had the same
            // process id and was killed before it could clean up (process ids here wrap within minutes).
            var folder = Path.Combine(Path.GetTempPath(), $"psgroupchat-unit-config-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", folder);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            };
        }
    }
}
