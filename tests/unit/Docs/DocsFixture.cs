using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// One hosted engine with the built module imported, shared by the documentation tests: the module's cmdlets
    /// and every cmdlet of the engine as Get-Command returns them, and the help files of docs/cmdlets.
    /// </summary>
    public sealed class DocsFixture : IDisposable
    {
        public DocsFixture()
        {
            Host = new PowerShellHost();
            var exported = Host.Run("Get-Command -Module PSGroupChat -CommandType Cmdlet");
            Assert.True(exported.Errors.Count == 0, exported.ErrorText);
            ModuleCmdlets = exported.Objects<CmdletInfo>().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            Assert.True(ModuleCmdlets.Count >= 7, "Get-Command found only " + ModuleCmdlets.Count + " PSGroupChat cmdlets");

            // -ListImported: the cmdlets this engine has loaded (its own and the module's), never those of modules it
            // merely finds on PSModulePath. pwsh puts its $PSHOME/Modules there, whose cmdlets this engine cannot load
            // (their metadata is null), so `dotnet test` typed at a pwsh prompt failed (issue 12, defect 2).
            var all = Host.Run("Get-Command -CommandType Cmdlet -ListImported");
            Assert.True(all.Errors.Count == 0, all.ErrorText);
            EngineCmdlets = all.Objects<CmdletInfo>().GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

            // Reading the metadata here, on the test thread, once: the objects stay usable after the script ended.
            foreach (var cmdlet in EngineCmdlets.Values)
            {
                _ = cmdlet.Parameters;
                _ = cmdlet.ParameterSets;
            }
        }

        public static string CmdletDocsFolder => Path.Combine(RepositoryPaths.Root, "docs", "cmdlets");

        public PowerShellHost Host { get; }

        /// <summary>The cmdlets the module exports, by name.</summary>
        public IReadOnlyList<CmdletInfo> ModuleCmdlets { get; }

        /// <summary>Every cmdlet of the hosted engine (Core and the module's), by name.</summary>
        public IReadOnlyDictionary<string, CmdletInfo> EngineCmdlets { get; }

        public static string HelpFileOf(string cmdletName) => Path.Combine(CmdletDocsFolder, cmdletName + ".md");

        /// <summary>Every help file there is, read.</summary>
        public static IReadOnlyList<CmdletMarkdown> AllHelp() =>
            Directory.EnumerateFiles(CmdletDocsFolder, "*.md").OrderBy(f => f, StringComparer.Ordinal).Select(CmdletMarkdown.Load).ToList();

        public void Dispose() => Host.Dispose();
    }
}
