using System.Linq;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Repository
{
    public class ModuleManifestTests
    {
        [Fact]
        public void BuiltManifestPassesTestModuleManifest()
        {
            using var host = new PowerShellHost(importModule: false);
            var result = host.Run("Test-ModuleManifest -Path $args[0] -ErrorAction Stop", args: new object[] { RepositoryPaths.ModuleManifest });
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            var manifest = Assert.Single(result.Output);
            Assert.Equal("PSGroupChat", manifest.Properties["Name"].Value);
        }

        [Fact]
        public void ExportsExactlyTheCmdletsTheManifestNames()
        {
            using var host = new PowerShellHost();
            var exported = host.Run("(Get-Module PSGroupChat).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
            var compiled = host.Run("Get-Command -Module PSGroupChat -CommandType Cmdlet | ForEach-Object Name").Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
            Assert.Contains("Start-ChatPeer", exported);
            Assert.Equal(compiled, exported);
            Assert.True(exported.Count >= 7);
        }

        [Fact]
        public void ModuleFolderShipsNoPowerShellAssembly()
        {
            Assert.False(System.IO.File.Exists(System.IO.Path.Combine(RepositoryPaths.ModuleFolder, "System.Management.Automation.dll")));
            Assert.False(System.IO.File.Exists(System.IO.Path.Combine(RepositoryPaths.ModuleFolder, "dependencies", "System.Management.Automation.dll")));
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(RepositoryPaths.ModuleFolder, "PSGroupChat.Format.ps1xml")));
        }
    }
}
