using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Repository
{
    /// <summary>Scripts that CI cannot run (Pester files, build.ps1) must at least parse.</summary>
    public class PowerShellFilesParseTests
    {
        public static TheoryData<string> PowerShellFiles()
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Root, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".ps1") || f.EndsWith(".psm1") || f.EndsWith(".psd1"))
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "out" + Path.DirectorySeparatorChar)
                    && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar)
                    && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                    && !f.Contains(Path.DirectorySeparatorChar + ".git" + Path.DirectorySeparatorChar)))
            {
                data.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
            }
            return data;
        }

        [Fact]
        public void TheRepositoryHasPowerShellFilesToParse() => Assert.True(PowerShellFiles().Count >= 2);

        [Theory]
        [MemberData(nameof(PowerShellFiles))]
        public void ParsesWithoutErrors(string relativePath)
        {
            Parser.ParseFile(Path.Combine(RepositoryPaths.Root, relativePath), out _, out var errors);
            Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}: {e.Message}")));
        }
    }
}
