using System;
using System.Collections;
using System.IO;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Scenarios
{
    /// <summary>
    /// Runs one of tests/pester/scenarios/*.ps1 in the hosted engine, exactly as Pester runs it, with its logs in a temp
    /// folder of its own. Disposing closes the runspace (which stops any peer still running) and deletes the folder.
    /// </summary>
    public sealed class ScenarioScript : IDisposable
    {
        private readonly PowerShellHost _host = new PowerShellHost();
        private readonly string _path;

        public ScenarioScript(string name)
        {
            _path = Path.Combine(RepositoryPaths.Root, "tests", "pester", "scenarios", name + ".ps1");
            LogFolder = Path.Combine(Path.GetTempPath(), "PSGroupChat.Tests", name + "-" + Guid.NewGuid().ToString("N"));
        }

        /// <summary>Where the peers write their JSON-lines logs.</summary>
        public string LogFolder { get; }

        /// <summary>Runs the script with these parameters (and -LogFolder) and returns its one result.</summary>
        public ScenarioOutcome Run(Hashtable parameters)
        {
            parameters["LogFolder"] = LogFolder;
            var result = _host.Run("$parameters = $args[1]; & $args[0] @parameters", args: new object[] { _path, parameters });
            Assert.True(result.Errors.Count == 0, $"{Path.GetFileName(_path)} failed: {result.ErrorText}");
            var output = Assert.Single(result.Output);
            Assert.Contains("PSGroupChat.ScenarioResult", output.TypeNames);
            return new ScenarioOutcome(output);
        }

        public void Dispose()
        {
            _host.Dispose();
            if (Directory.Exists(LogFolder)) Directory.Delete(LogFolder, recursive: true);
        }
    }
}
