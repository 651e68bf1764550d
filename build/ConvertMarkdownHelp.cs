// The build's own markdown-to-MAML converter, so that `dotnet build` alone gives every cmdlet its full help
// (Get-Help -Examples, -Parameter, -Full) without PlatyPS, which is not available everywhere. It reads the PlatyPS
// markdown of docs/cmdlets (schema 2.0.0, as platyPS 0.14 writes it) and writes the MAML that PowerShell reads from
// en-US/<assembly>-Help.xml. MSBuild compiles it through RoslynCodeTaskFactory (build/MarkdownHelp.targets).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>MSBuild task: docs/cmdlets/*.md in, one MAML file out.</summary>
public class ConvertMarkdownHelp : Task
{
    [Required] public ITaskItem[] Markdown { get; set; }

    [Required] public string OutputFile { get; set; }

    public override bool Execute()
    {
        var commands = new List<CommandHelp>();
        foreach (var item in Markdown.OrderBy(i => i.ItemSpec, StringComparer.Ordinal))
        {
            try
            {
                commands.Add(CommandHelp.Parse(File.ReadAllLines(item.ItemSpec)));
            }
            catch (FormatException e)
            {
                Log.LogError("{0}: {1}", item.ItemSpec, e.Message);
            }
        }
        if (Log.HasLoggedErrors) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputFile)));
        MamlWriter.Write(commands, OutputFile);
        Log.LogMessage(MessageImportance.High, "Help for {0} cmdlets written to {1} by the build's markdown converter", commands.Count, OutputFile);
        return true;
    }
}

/// <summary>A markdown block: a paragraph of text, or a fenced code block with its language.</summary>
public sealed class Block
{
    public string Text;
    public string Fence; // null for text

    public static List<Block> Split(IEnumerable<string> lines)
    {
        var blocks = new List<Block>();
        var text = new List<string>();
        List<string> code = null;
        string fence = null;
        Action flushText = () =>
        {
            if (text.Count > 0) blocks.Add(new Block { Text = JoinParagraph(text) });
            text.Clear();
        };
        foreach (var line in lines)
        {
            if (code != null)
            {
                if (line.TrimEnd() == "```")
                {
                    blocks.Add(new Block { Text = string.Join("\n", code), Fence = fence });
                    code = null;
                }
                else code.Add(line);
            }
            else if (line.StartsWith("```", StringComparison.Ordinal))
            {
                flushText();
                fence = line.Substring(3).Trim();
                code = new List<string>();
            }
            else if (line.Trim().Length == 0) flushText();
            else text.Add(line.Trim());
        }
        if (code != null) throw new FormatException("a code fence is never closed");
        flushText();
        return blocks;
    }

    // A paragraph's lines are one flowing text, except list items, which keep a line each.
    private static string JoinParagraph(List<string> lines)
    {
        var result = new StringBuilder();
        foreach (var line in lines)
        {
            bool item = line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal);
            if (result.Length > 0) result.Append(item ? "\n" : " ");
            result.Append(Inline(line));
        }
        return result.ToString();
    }

    /// <summary>Markdown emphasis, code spans and links as plain text: a console shows them literally.</summary>
    public static string Inline(string text)
    {
        text = Regex.Replace(text, @"\[([^\]]+)\]\([^)]*\)", "$1");
        text = Regex.Replace(text, @"\*\*([^*]+)\*\*", "$1");
        text = Regex.Replace(text, @"`([^`]+)`", "$1");
        return text;
    }
}

public sealed class ExampleHelp
{
    public string Title;
    public string Code;
    public List<string> Remarks = new List<string>();
}

public sealed class ParameterHelp
{
    public string Name;
    public List<string> Description = new List<string>();
    public Dictionary<string, string> Meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public string Get(string key, string otherwise) => Meta.TryGetValue(key, out var v) && v.Length > 0 ? v : otherwise;

    public string Type => Get("Type", "Object");

    public bool IsSwitch => Type == "SwitchParameter";

    public List<string> Sets => Get("Parameter Sets", "(All)").Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
}

public sealed class TypeHelp
{
    public string Name;
    public List<string> Description = new List<string>();
}

/// <summary>One cmdlet's help, read from its markdown file.</summary>
public sealed class CommandHelp
{
    public string Name;
    public string Synopsis = "";
    public List<string> Description = new List<string>();
    public List<ExampleHelp> Examples = new List<ExampleHelp>();
    public List<ParameterHelp> Parameters = new List<ParameterHelp>();
    public List<TypeHelp> Inputs = new List<TypeHelp>();
    public List<TypeHelp> Outputs = new List<TypeHelp>();
    public List<string> Notes = new List<string>();
    public List<KeyValuePair<string, string>> Links = new List<KeyValuePair<string, string>>();

    public static CommandHelp Parse(string[] lines)
    {
        int start = 0;
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            start = Array.FindIndex(lines, 1, l => l.Trim() == "---") + 1;
            if (start == 0) throw new FormatException("the front matter (---) is never closed");
        }
        var help = new CommandHelp();
        var sections = Sections(lines.Skip(start), "# ");
        var title = sections.FirstOrDefault(s => s.Key.Length > 0);
        if (title.Key == null) throw new FormatException("there is no '# <cmdlet name>' heading");
        help.Name = title.Key;
        foreach (var section in Sections(title.Value, "## "))
        {
            switch (section.Key.ToUpperInvariant())
            {
                case "SYNOPSIS":
                    help.Synopsis = string.Join(" ", Block.Split(section.Value).Where(b => b.Fence == null).Select(b => b.Text));
                    break;
                case "DESCRIPTION":
                    help.Description = Paragraphs(section.Value);
                    break;
                case "EXAMPLES":
                    foreach (var example in Sections(section.Value, "### ").Where(s => s.Key.Length > 0))
                        help.Examples.Add(ParseExample(example.Key, example.Value));
                    break;
                case "PARAMETERS":
                    foreach (var parameter in Sections(section.Value, "### ").Where(s => s.Key.StartsWith("-", StringComparison.Ordinal)))
                        help.Parameters.Add(ParseParameter(parameter.Key.Substring(1), parameter.Value));
                    break;
                case "INPUTS":
                    help.Inputs = Types(section.Value);
                    break;
                case "OUTPUTS":
                    help.Outputs = Types(section.Value);
                    break;
                case "NOTES":
                    help.Notes = Paragraphs(section.Value);
                    break;
                case "RELATED LINKS":
                    foreach (Match link in Regex.Matches(string.Join("\n", section.Value), @"\[([^\]]+)\]\(([^)]*)\)"))
                    {
                        string uri = link.Groups[2].Value;
                        help.Links.Add(new KeyValuePair<string, string>(link.Groups[1].Value, uri.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? uri : ""));
                    }
                    break;
            }
        }
        if (help.Synopsis.Length == 0) throw new FormatException("## SYNOPSIS is missing or empty");
        return help;
    }

    // Splits lines at headings of one level; text before the first heading has the key "".
    private static List<KeyValuePair<string, List<string>>> Sections(IEnumerable<string> lines, string marker)
    {
        var result = new List<KeyValuePair<string, List<string>>> { new KeyValuePair<string, List<string>>("", new List<string>()) };
        bool inFence = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            if (!inFence && line.StartsWith(marker, StringComparison.Ordinal))
                result.Add(new KeyValuePair<string, List<string>>(line.Substring(marker.Length).Trim(), new List<string>()));
            else result[result.Count - 1].Value.Add(line);
        }
        return result;
    }

    private static List<string> Paragraphs(IEnumerable<string> lines) => Block.Split(lines).Select(b => b.Text).ToList();

    private static ExampleHelp ParseExample(string title, List<string> lines)
    {
        var example = new ExampleHelp { Title = title };
        var code = new List<string>();
        foreach (var block in Block.Split(lines))
        {
            // The PowerShell the example runs is its code; everything else, the output included, is its remarks.
            // Only the fences' contents are kept: PlatyPS 1.0.3 left the fence lines in, and Get-Help showed them.
            bool isCode = block.Fence != null && (block.Fence.Length == 0 || block.Fence.Equals("powershell", StringComparison.OrdinalIgnoreCase));
            if (isCode && example.Remarks.Count == 0) code.Add(block.Text);
            else example.Remarks.Add(block.Text);
        }
        if (code.Count == 0) throw new FormatException("example '" + title + "' has no ```powershell block");
        example.Code = string.Join("\n\n", code);
        return example;
    }

    private static ParameterHelp ParseParameter(string name, List<string> lines)
    {
        var parameter = new ParameterHelp { Name = name };
        foreach (var block in Block.Split(lines))
        {
            if (block.Fence == "yaml")
            {
                foreach (var line in block.Text.Split('\n'))
                {
                    int colon = line.IndexOf(':');
                    if (colon > 0) parameter.Meta[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                }
            }
            else parameter.Description.Add(block.Text);
        }
        return parameter;
    }

    private static List<TypeHelp> Types(List<string> lines) =>
        Sections(lines, "### ").Where(s => s.Key.Length > 0)
            .Select(s => new TypeHelp { Name = s.Key, Description = Paragraphs(s.Value) }).ToList();
}

/// <summary>Writes commands as the MAML PowerShell's Get-Help reads.</summary>
public static class MamlWriter
{
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static void Write(IEnumerable<CommandHelp> commands, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using (var xml = XmlWriter.Create(path, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("helpItems", "http://msh");
            xml.WriteAttributeString("schema", "maml");
            foreach (var command in commands) WriteCommand(xml, command);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
    }

    private static void WriteCommand(XmlWriter xml, CommandHelp help)
    {
        xml.WriteStartElement("command", "command", Command);
        xml.WriteAttributeString("xmlns", "maml", null, Maml);
        xml.WriteAttributeString("xmlns", "dev", null, Dev);

        xml.WriteStartElement("details", Command);
        xml.WriteElementString("name", Command, help.Name);
        int dash = help.Name.IndexOf('-');
        xml.WriteElementString("verb", Command, dash > 0 ? help.Name.Substring(0, dash) : help.Name);
        xml.WriteElementString("noun", Command, dash > 0 ? help.Name.Substring(dash + 1) : "");
        Description(xml, new[] { help.Synopsis });
        xml.WriteEndElement();

        Description(xml, help.Description);

        xml.WriteStartElement("syntax", Command);
        foreach (var set in ParameterSets(help))
        {
            xml.WriteStartElement("syntaxItem", Command);
            xml.WriteElementString("name", Maml, help.Name);
            var members = help.Parameters.Where(p => p.Sets.Contains("(All)") || p.Sets.Contains(set));
            foreach (var parameter in members) Parameter(xml, parameter, inSyntax: true);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("parameters", Command);
        foreach (var parameter in help.Parameters) Parameter(xml, parameter, inSyntax: false);
        xml.WriteEndElement();

        Types(xml, "inputTypes", "inputType", help.Inputs);
        Types(xml, "returnValues", "returnValue", help.Outputs);

        if (help.Notes.Count > 0)
        {
            xml.WriteStartElement("alertSet", Maml);
            xml.WriteStartElement("alert", Maml);
            foreach (var note in help.Notes) xml.WriteElementString("para", Maml, note);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteStartElement("examples", Command);
        foreach (var example in help.Examples)
        {
            xml.WriteStartElement("example", Command);
            xml.WriteElementString("title", Maml, "-------------------------- " + example.Title + " --------------------------");
            xml.WriteElementString("code", Dev, example.Code);
            xml.WriteStartElement("remarks", Dev);
            foreach (var remark in example.Remarks) xml.WriteElementString("para", Maml, remark);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("relatedLinks", Command);
        foreach (var link in help.Links)
        {
            xml.WriteStartElement("navigationLink", Maml);
            xml.WriteElementString("linkText", Maml, link.Key);
            xml.WriteElementString("uri", Maml, link.Value);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteEndElement();
    }

    private static IEnumerable<string> ParameterSets(CommandHelp help)
    {
        var named = help.Parameters.SelectMany(p => p.Sets).Where(s => s != "(All)").Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
        return named.Count > 0 ? named : new List<string> { "(All)" };
    }

    private static void Parameter(XmlWriter xml, ParameterHelp parameter, bool inSyntax)
    {
        string pipeline = parameter.Get("Accept pipeline input", "False");
        string position = parameter.Get("Position", "Named");
        xml.WriteStartElement("parameter", Command);
        xml.WriteAttributeString("required", parameter.Get("Required", "False").ToLowerInvariant());
        xml.WriteAttributeString("variableLength", parameter.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false");
        xml.WriteAttributeString("globbing", parameter.Get("Accept wildcard characters", "False").ToLowerInvariant());
        xml.WriteAttributeString("pipelineInput", pipeline);
        xml.WriteAttributeString("position", position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position);
        xml.WriteAttributeString("aliases", parameter.Get("Aliases", "none"));
        xml.WriteElementString("name", Maml, parameter.Name);
        Description(xml, parameter.Description);
        if (!(inSyntax && parameter.IsSwitch))
        {
            xml.WriteStartElement("parameterValue", Command);
            xml.WriteAttributeString("required", parameter.IsSwitch ? "false" : "true");
            xml.WriteAttributeString("variableLength", "false");
            xml.WriteString(parameter.Type);
            xml.WriteEndElement();
        }
        xml.WriteStartElement("type", Dev);
        xml.WriteElementString("name", Maml, parameter.Type);
        xml.WriteEndElement();
        xml.WriteElementString("defaultValue", Dev, parameter.Get("Default value", "None"));
        xml.WriteEndElement();
    }

    private static void Types(XmlWriter xml, string listName, string itemName, List<TypeHelp> types)
    {
        xml.WriteStartElement(listName, Command);
        foreach (var type in types)
        {
            xml.WriteStartElement(itemName, Command);
            xml.WriteStartElement("type", Dev);
            xml.WriteElementString("name", Maml, type.Name);
            xml.WriteEndElement();
            Description(xml, type.Description);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void Description(XmlWriter xml, IEnumerable<string> paragraphs)
    {
        xml.WriteStartElement("description", Maml);
        foreach (var paragraph in paragraphs) xml.WriteElementString("para", Maml, paragraph);
        xml.WriteEndElement();
    }
}
