using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// A cmdlet help file (docs/cmdlets/Name.md) read into the parts that are checked against the cmdlet: its
    /// metadata, sections, syntax blocks, examples, parameters, inputs and outputs.
    /// </summary>
    public sealed class CmdletMarkdown
    {
        public static readonly string[] RequiredSections =
            { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        private CmdletMarkdown(string source) => Source = source;

        /// <summary>The file name, for messages.</summary>
        public string Source { get; }
        public IReadOnlyDictionary<string, string> Metadata { get; private set; } = new Dictionary<string, string>();
        public string Title { get; private set; } = string.Empty;

        /// <summary>The text of each level-2 section (code blocks included), by heading.</summary>
        public Dictionary<string, string> Sections { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public List<(string? SetName, string Text)> Syntax { get; } = new List<(string?, string)>();
        public List<HelpExample> Examples { get; } = new List<HelpExample>();
        public List<DocumentedParameter> Parameters { get; } = new List<DocumentedParameter>();
        public bool HasCommonParameters { get; private set; }
        public List<string> InputTypes { get; } = new List<string>();
        public List<string> OutputTypes { get; } = new List<string>();

        /// <summary>Structural problems met while reading (unknown subsections, bad yaml, duplicate parameters).</summary>
        public List<string> Problems { get; } = new List<string>();

        public static CmdletMarkdown Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

        public static CmdletMarkdown Parse(string text, string source)
        {
            var help = new CmdletMarkdown(source);
            MarkdownDocument document;
            try
            {
                document = MarkdownDocument.Parse(text);
            }
            catch (FormatException e)
            {
                help.Problems.Add(e.Message);
                return help;
            }
            help.Metadata = document.FrontMatter;

            string? section = null;
            string? subsection = null;
            HelpExample? example = null;
            DocumentedParameter? parameter = null;
            var sectionText = new List<string>();
            foreach (var node in document.Nodes)
            {
                if (node.IsHeading(1))
                {
                    help.Title = node.Text;
                    continue;
                }
                if (node.IsHeading(2))
                {
                    if (section != null) help.Sections[section] = string.Join("\n", sectionText).Trim();
                    section = node.Text;
                    if (help.Sections.ContainsKey(section)) help.Problems.Add($"line {node.Line}: the section '{section}' appears twice");
                    sectionText.Clear();
                    subsection = null;
                    example = null;
                    parameter = null;
                    continue;
                }
                if (section == null)
                {
                    if (node.Kind != MarkdownNodeKind.Text || node.Text.Trim().Length > 0)
                        help.Problems.Add($"line {node.Line}: content before the first section");
                    continue;
                }
                sectionText.Add(node.Text);

                if (node.IsHeading(3))
                {
                    subsection = node.Text;
                    example = null;
                    parameter = null;
                    switch (section)
                    {
                        case "EXAMPLES":
                            example = new HelpExample(subsection, node.Line);
                            help.Examples.Add(example);
                            break;
                        case "PARAMETERS" when subsection == "CommonParameters":
                            help.HasCommonParameters = true;
                            break;
                        case "PARAMETERS" when subsection.StartsWith("-", StringComparison.Ordinal):
                            parameter = new DocumentedParameter(subsection.Substring(1).Trim());
                            if (help.Parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
                                help.Problems.Add($"line {node.Line}: the parameter -{parameter.Name} is documented twice");
                            help.Parameters.Add(parameter);
                            break;
                        case "PARAMETERS":
                            help.Problems.Add($"line {node.Line}: '### {subsection}' in PARAMETERS is neither '### -Name' nor '### CommonParameters'");
                            break;
                        case "INPUTS":
                            help.InputTypes.Add(subsection);
                            break;
                        case "OUTPUTS":
                            help.OutputTypes.Add(subsection);
                            break;
                    }
                    continue;
                }

                if (node.Kind == MarkdownNodeKind.Code)
                {
                    if (section == "SYNTAX") help.Syntax.Add((subsection, node.Text));
                    else if (example != null) example.Blocks.Add((node.Language, node.Text));
                    else if (parameter != null && node.Language.Equals("yaml", StringComparison.OrdinalIgnoreCase))
                    {
                        try
                        {
                            parameter.ReadYaml(node.Text);
                        }
                        catch (FormatException e)
                        {
                            help.Problems.Add($"line {node.Line}: -{parameter.Name}: {e.Message}");
                        }
                    }
                }
                else if (node.Kind == MarkdownNodeKind.Text && node.Text.Trim().Length > 0)
                {
                    if (parameter != null) parameter.HasDescription = true;
                    if (example != null) example.TextLines++;
                }
            }
            if (section != null) help.Sections[section] = string.Join("\n", sectionText).Trim();
            foreach (var p in help.Parameters)
            {
                help.Problems.AddRange(p.ReadProblems.Select(r => $"-{p.Name}: {r}"));
            }
            return help;
        }
    }

    /// <summary>One "### Example" of the EXAMPLES section: its code blocks and how much text explains it.</summary>
    public sealed class HelpExample
    {
        public HelpExample(string title, int line)
        {
            Title = title;
            Line = line;
        }

        public string Title { get; }
        public int Line { get; }
        public List<(string Language, string Code)> Blocks { get; } = new List<(string, string)>();
        public int TextLines { get; set; }

        /// <summary>The PowerShell code of the example; blocks in another language are its output.</summary>
        public IEnumerable<string> Code => Blocks.Where(b => b.Language.Equals("powershell", StringComparison.OrdinalIgnoreCase)).Select(b => b.Code);
    }
}
