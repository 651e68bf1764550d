using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// Every exported cmdlet has a help file in docs/cmdlets that matches it (issue 8): each check runs over all the
    /// cmdlets Get-Command finds, so a new cmdlet is covered as soon as it is exported.
    /// </summary>
    public class CmdletHelpTests : IClassFixture<DocsFixture>
    {
        private readonly DocsFixture _docs;

        public CmdletHelpTests(DocsFixture docs) => _docs = docs;

        [Fact]
        public void EveryExportedCmdletHasAHelpFile()
        {
            var missing = _docs.ModuleCmdlets.Where(c => !File.Exists(DocsFixture.HelpFileOf(c.Name))).Select(c => c.Name).ToList();
            Assert.True(missing.Count == 0, "No docs/cmdlets/<Name>.md for: " + string.Join(", ", missing));
        }

        [Fact]
        public void EveryHelpFileDocumentsAnExportedCmdlet()
        {
            var exported = new HashSet<string>(_docs.ModuleCmdlets.Select(c => c.Name), StringComparer.Ordinal);
            var stale = Directory.EnumerateFiles(DocsFixture.CmdletDocsFolder, "*.md").Select(Path.GetFileNameWithoutExtension)
                .Where(n => !exported.Contains(n!)).ToList();
            Assert.True(stale.Count == 0, "Help files for cmdlets the module does not export: " + string.Join(", ", stale));
        }

        [Fact]
        public void EveryHelpFileMatchesItsCmdlet()
        {
            var problems = new List<string>();
            foreach (var cmdlet in _docs.ModuleCmdlets.Where(c => File.Exists(DocsFixture.HelpFileOf(c.Name))))
            {
                problems.AddRange(CmdletHelpChecker.Check(CmdletMarkdown.Load(DocsFixture.HelpFileOf(cmdlet.Name)), cmdlet));
            }
            Assert.True(problems.Count == 0, "The help disagrees with the code:\n" + string.Join("\n", problems));
        }

        [Fact]
        public void EveryExampleParsesAndUsesOnlyCommandsAndParametersThatExist()
        {
            var checker = new ExampleChecker(_docs.EngineCmdlets);
            var problems = new List<string>();
            int blocks = 0;
            foreach (var help in DocsFixture.AllHelp())
            {
                foreach (var example in help.Examples)
                {
                    foreach (var code in example.Code)
                    {
                        blocks++;
                        problems.AddRange(checker.Check(code).Select(p => $"{help.Source}, {example.Title}, {p}"));
                    }
                }
            }
            Assert.True(blocks >= 2 * _docs.ModuleCmdlets.Count, $"only {blocks} example code blocks were found");
            Assert.True(problems.Count == 0, "Examples that would not run:\n" + string.Join("\n", problems));
        }
    }
}
