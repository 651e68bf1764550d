using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using Xunit;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>
    /// A runspace of the real PowerShell engine (System.Management.Automation 7.6) with the built module imported from
    /// out/PSGroupChat, exactly as a user imports it. Cmdlet behaviour is tested only through this.
    /// Disposing closes the runspace, which stops every session the scripts started.
    /// </summary>
    public sealed class PowerShellHost : IDisposable
    {
        /// <summary>No script in the suite should take this long; one that does has hung, and the test fails rather than waits.</summary>
        public static readonly TimeSpan ScriptLimit = TimeSpan.FromMinutes(3);

        public PowerShellHost(PSHost? host = null, bool importModule = true)
        {
            var state = InitialSessionState.CreateDefault2();
            Runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
            Runspace.Open();
            if (importModule)
            {
                var result = Run("Import-Module -Name $args[0] -ErrorAction Stop", args: new object[] { RepositoryPaths.ModuleManifest });
                Assert.True(result.Errors.Count == 0, "Import-Module failed: " + result.ErrorText);
            }
        }

        public Runspace Runspace { get; }

        /// <summary>Sets a variable the next scripts can read.</summary>
        public void Set(string name, object? value) => Runspace.SessionStateProxy.SetVariable(name, value);

        /// <summary>Reads a variable, unwrapped from its PSObject.</summary>
        public object? Get(string name)
        {
            var value = Runspace.SessionStateProxy.GetVariable(name);
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        /// <summary>Runs a script and returns all its streams. A terminating error is returned as an error record too.</summary>
        public ScriptResult Run(string script, IDictionary<string, object?>? variables = null, object[]? args = null, TimeSpan? limit = null)
        {
            using var ps = Create(script, variables, args);
            var output = new PSDataCollection<PSObject>();
            var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
            bool finished = running.AsyncWaitHandle.WaitOne(limit ?? ScriptLimit);
            if (!finished)
            {
                ps.Stop();
                throw new TimeoutException($"The script did not finish within {(limit ?? ScriptLimit).TotalSeconds} s:\n{script}");
            }
            return ScriptResult.Collect(ps, running, output);
        }

        /// <summary>A pipeline for tests that start a script, act on it (Stop), and then collect it.</summary>
        public PowerShell Create(string script, IDictionary<string, object?>? variables = null, object[]? args = null)
        {
            var ps = PowerShell.Create();
            ps.Runspace = Runspace;
            if (variables != null)
            {
                foreach (var pair in variables) Runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            }
            ps.AddScript(script);
            if (args != null)
            {
                foreach (var arg in args) ps.AddArgument(arg);
            }
            return ps;
        }

        public void Dispose() => Runspace.Dispose();
    }
}
