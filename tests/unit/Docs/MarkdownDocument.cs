using System;
using System.Collections.Generic;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// The pieces of a markdown file that help files are made of: the front matter, headings, fenced code blocks and
    /// the text lines between them. A line inside a code block is never taken for a heading.
    /// </summary>
    public sealed class MarkdownDocument
    {
        private MarkdownDocument(Dictionary<string, string> frontMatter, List<MarkdownNode> nodes)
        {
            FrontMatter = frontMatter;
            Nodes = nodes;
        }

        /// <summary>The "key: value" lines between the two leading "---" lines, by key (case-insensitive).</summary>
        public IReadOnlyDictionary<string, string> FrontMatter { get; }

        public IReadOnlyList<MarkdownNode> Nodes { get; }

        public static MarkdownDocument Parse(string text)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            int i = 0;
            if (lines.Length > 0 && lines[0].Trim() == "---")
            {
                for (i = 1; i < lines.Length && lines[i].Trim() != "---"; i++)
                {
                    int colon = lines[i].IndexOf(':');
                    if (colon > 0) frontMatter[lines[i].Substring(0, colon).Trim()] = lines[i].Substring(colon + 1).Trim();
                }
                i++;
            }

            var nodes = new List<MarkdownNode>();
            for (; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    string language = line.Substring(3).Trim();
                    int start = i + 1;
                    var code = new List<string>();
                    for (i = start; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i]);
                    if (i >= lines.Length) throw new FormatException($"line {start}: a code block is never closed");
                    nodes.Add(new MarkdownNode(MarkdownNodeKind.Code, string.Join("\n", code), language, start));
                }
                else if (line.StartsWith("#", StringComparison.Ordinal))
                {
                    int level = 0;
                    while (level < line.Length && line[level] == '#') level++;
                    nodes.Add(new MarkdownNode(MarkdownNodeKind.Heading, line.Substring(level).Trim(), string.Empty, i + 1, level));
                }
                else
                {
                    nodes.Add(new MarkdownNode(MarkdownNodeKind.Text, line, string.Empty, i + 1));
                }
            }
            return new MarkdownDocument(frontMatter, nodes);
        }
    }

    public enum MarkdownNodeKind
    {
        Heading,
        Code,
        Text,
    }

    /// <summary>A heading (with its level), a fenced code block (with its language) or one line of text.</summary>
    public sealed class MarkdownNode
    {
        public MarkdownNode(MarkdownNodeKind kind, string text, string language, int line, int level = 0)
        {
            Kind = kind;
            Text = text;
            Language = language;
            Line = line;
            Level = level;
        }

        public MarkdownNodeKind Kind { get; }
        public string Text { get; }
        public string Language { get; }
        public int Line { get; }
        public int Level { get; }

        public bool IsHeading(int level) => Kind == MarkdownNodeKind.Heading && Level == level;
    }
}
