using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// Compares a cmdlet's help file with the cmdlet as the hosted engine's Get-Command sees it: every parameter with
    /// its type, aliases, wildcard support, accepted values and, per parameter set, whether it is mandatory, its
    /// position and its pipeline input; the syntax blocks; inputs and outputs; and the layout PlatyPS needs.
    /// Returns one readable line per problem; none means the help matches the code.
    /// </summary>
    public static class CmdletHelpChecker
    {
        public const string ExternalHelpFile = "PSGroupChat.dll-Help.xml";
        public const string ModuleName = "PSGroupChat";
        private static readonly Regex SyntaxParameter = new Regex(@"(?<=[\[\s])-([A-Za-z][A-Za-z0-9]*)", RegexOptions.CultureInvariant);

        public static List<string> Check(CmdletMarkdown help, CmdletInfo cmdlet)
        {
            var problems = new List<string>(help.Problems);
            CheckLayout(help, cmdlet, problems);
            CheckParameters(help, cmdlet, problems);
            CheckSyntax(help, cmdlet, problems);
            CheckInputsOutputs(help, cmdlet, problems);
            return problems.Select(p => $"{help.Source}: {p}").ToList();
        }

        /// <summary>The parameters a help file documents: all but the common ones (WhatIf and Confirm are documented).</summary>
        public static IEnumerable<ParameterMetadata> DocumentedParametersOf(CmdletInfo cmdlet) =>
            cmdlet.Parameters.Values.Where(p => !Cmdlet.CommonParameters.Contains(p.Name));

        private static void CheckLayout(CmdletMarkdown help, CmdletInfo cmdlet, List<string> problems)
        {
            if (help.Title != cmdlet.Name) problems.Add($"the title is '# {help.Title}', not '# {cmdlet.Name}'");
            Expect(help, "external help file", ExternalHelpFile, problems);
            Expect(help, "Module Name", ModuleName, problems);
            bool schema2 = help.Metadata.TryGetValue("schema", out var schema) && schema == "2.0.0";
            if (!schema2 && !help.Metadata.ContainsKey("PlatyPS schema version"))
                problems.Add("the front matter says neither 'schema: 2.0.0' nor 'PlatyPS schema version'");
            if (!help.Metadata.ContainsKey("online version") && !help.Metadata.ContainsKey("HelpUri"))
                problems.Add("the front matter lacks 'online version:'");

            foreach (var name in CmdletMarkdown.RequiredSections)
            {
                if (!help.Sections.ContainsKey(name)) problems.Add($"the section '## {name}' is missing");
            }
            foreach (var name in new[] { "SYNOPSIS", "DESCRIPTION" })
            {
                if (help.Sections.TryGetValue(name, out var text) && text.Length == 0) problems.Add($"the section '## {name}' is empty");
            }
            foreach (var pair in help.Sections)
            {
                if (pair.Value.Contains("{{") || pair.Value.Contains("FILL IN", StringComparison.Ordinal))
                    problems.Add($"the section '## {pair.Key}' still has a PlatyPS placeholder ({{{{ ... }}}} or FILL IN)");
            }
            if (!help.HasCommonParameters) problems.Add("PARAMETERS lacks '### CommonParameters'");

            if (help.Examples.Count < 2) problems.Add($"there are {help.Examples.Count} examples; at least two are needed");
            foreach (var example in help.Examples)
            {
                if (!example.Title.StartsWith("Example ", StringComparison.Ordinal))
                    problems.Add($"line {example.Line}: an example heading must start with 'Example N', not '{example.Title}'");
                if (!example.Code.Any()) problems.Add($"'{example.Title}' has no ```powershell code block");
                bool showsResult = example.Blocks.Any(b => !b.Language.Equals("powershell", StringComparison.OrdinalIgnoreCase)) || example.TextLines > 0;
                if (!showsResult) problems.Add($"'{example.Title}' shows neither its output nor an explanation");
            }
        }

        private static void Expect(CmdletMarkdown help, string key, string value, List<string> problems)
        {
            if (!help.Metadata.TryGetValue(key, out var actual) || actual != value) problems.Add($"the front matter must say '{key}: {value}'");
        }

        private static void CheckParameters(CmdletMarkdown help, CmdletInfo cmdlet, List<string> problems)
        {
            var declared = DocumentedParametersOf(cmdlet).ToList();
            foreach (var documented in help.Parameters)
            {
                if (!declared.Any(p => p.Name == documented.Name))
                    problems.Add($"-{documented.Name} is documented but {cmdlet.Name} has no such parameter");
            }

            foreach (var meta in declared)
            {
                var doc = help.Parameters.FirstOrDefault(p => p.Name == meta.Name);
                if (doc == null)
                {
                    problems.Add($"-{meta.Name} is a parameter of {cmdlet.Name} but PARAMETERS does not document it");
                    continue;
                }
                string where = $"-{meta.Name}";
                if (!doc.HasDescription) problems.Add($"{where} has no description");
                if (doc.Type == null) problems.Add($"{where} has no Type");
                else if (!SameType(doc.Type, meta.ParameterType)) problems.Add($"{where}: documented Type '{doc.Type}', the code says {Describe(meta.ParameterType)}");

                var aliases = meta.Aliases.OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToList();
                var documentedAliases = doc.Aliases.OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToList();
                if (!aliases.SequenceEqual(documentedAliases, StringComparer.OrdinalIgnoreCase))
                    problems.Add($"{where}: documented Aliases '{string.Join(", ", documentedAliases)}', the code says '{string.Join(", ", aliases)}'");

                bool wildcards = meta.Attributes.OfType<SupportsWildcardsAttribute>().Any();
                if (doc.SupportsWildcards == null) problems.Add($"{where} does not say whether it accepts wildcard characters");
                else if (doc.SupportsWildcards != wildcards) problems.Add($"{where}: documented wildcard support {doc.SupportsWildcards}, the code says {wildcards}");

                var accepted = AcceptedValues(meta).OrderBy(v => v, StringComparer.OrdinalIgnoreCase).ToList();
                var documentedValues = doc.AcceptedValues.OrderBy(v => v, StringComparer.OrdinalIgnoreCase).ToList();
                if (!accepted.SequenceEqual(documentedValues, StringComparer.OrdinalIgnoreCase))
                    problems.Add($"{where}: documented accepted values '{string.Join(", ", documentedValues)}', the code accepts '{string.Join(", ", accepted)}'");

                CheckUsages(cmdlet, meta, doc, problems);
            }
        }

        private static void CheckUsages(CmdletInfo cmdlet, ParameterMetadata meta, DocumentedParameter doc, List<string> problems)
        {
            string where = $"-{meta.Name}";
            if (doc.Usages.Count == 0)
            {
                problems.Add($"{where} has no ```yaml block with its parameter sets");
                return;
            }
            var setsWithParameter = cmdlet.ParameterSets.Where(s => s.Parameters.Any(p => p.Name == meta.Name)).ToList();
            foreach (var usage in doc.Usages)
            {
                foreach (var set in usage.Sets.Where(s => s != DocumentedParameter.AllSets && s != "__AllParameterSets"))
                {
                    if (!setsWithParameter.Any(s => string.Equals(s.Name, set, StringComparison.OrdinalIgnoreCase)))
                        problems.Add($"{where}: documented in the parameter set '{set}', which does not have it");
                }
                if (usage.Sets.Contains(DocumentedParameter.AllSets) && setsWithParameter.Count != cmdlet.ParameterSets.Count)
                    problems.Add($"{where}: documented for (All) parameter sets, but only {string.Join(", ", setsWithParameter.Select(s => s.Name))} have it");
            }

            foreach (var set in setsWithParameter)
            {
                var actual = set.Parameters.First(p => p.Name == meta.Name);
                var usage = doc.Usages.FirstOrDefault(u => u.Covers(set.Name));
                string inSet = cmdlet.ParameterSets.Count > 1 ? $" in the parameter set '{set.Name}'" : string.Empty;
                if (usage == null)
                {
                    problems.Add($"{where}: nothing documents how it binds{inSet}");
                    continue;
                }
                if (usage.Required != actual.IsMandatory)
                    problems.Add($"{where}: documented Required {usage.Required}{inSet}, the code says {actual.IsMandatory}");
                string position = actual.Position == int.MinValue ? "Named" : actual.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!string.Equals(usage.Position, position, StringComparison.OrdinalIgnoreCase))
                    problems.Add($"{where}: documented Position {usage.Position}{inSet}, the code says {position}");
                if (usage.ByValue != actual.ValueFromPipeline)
                    problems.Add($"{where}: documented pipeline input by value {usage.ByValue}{inSet}, the code says {actual.ValueFromPipeline}");
                if (usage.ByPropertyName != actual.ValueFromPipelineByPropertyName)
                    problems.Add($"{where}: documented pipeline input by property name {usage.ByPropertyName}{inSet}, the code says {actual.ValueFromPipelineByPropertyName}");
            }
        }

        private static void CheckSyntax(CmdletMarkdown help, CmdletInfo cmdlet, List<string> problems)
        {
            if (help.Syntax.Count != cmdlet.ParameterSets.Count)
            {
                problems.Add($"SYNTAX has {help.Syntax.Count} code blocks; {cmdlet.Name} has {cmdlet.ParameterSets.Count} parameter sets");
                return;
            }
            foreach (var set in cmdlet.ParameterSets)
            {
                var block = cmdlet.ParameterSets.Count == 1
                    ? help.Syntax[0]
                    : help.Syntax.FirstOrDefault(b => b.SetName != null && string.Equals(StripDefault(b.SetName), set.Name, StringComparison.OrdinalIgnoreCase));
                if (block.Text == null)
                {
                    problems.Add($"SYNTAX has no '### {set.Name}' block");
                    continue;
                }
                var text = block.Text.Trim();
                if (!text.StartsWith(cmdlet.Name + " ", StringComparison.OrdinalIgnoreCase) && text != cmdlet.Name)
                    problems.Add($"the syntax of '{set.Name}' does not start with {cmdlet.Name}");
                var shown = SyntaxParameter.Matches(text).Select(m => m.Groups[1].Value).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
                var expected = set.Parameters.Where(p => !Cmdlet.CommonParameters.Contains(p.Name)).Select(p => p.Name)
                    .OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
                if (!shown.SequenceEqual(expected, StringComparer.OrdinalIgnoreCase))
                    problems.Add($"the syntax of '{set.Name}' shows -{string.Join(", -", shown)}; the set has -{string.Join(", -", expected)}");
            }
        }

        private static void CheckInputsOutputs(CmdletMarkdown help, CmdletInfo cmdlet, List<string> problems)
        {
            var byValue = cmdlet.ParameterSets.SelectMany(s => s.Parameters).Where(p => p.ValueFromPipeline && !Cmdlet.CommonParameters.Contains(p.Name))
                .Select(p => ElementType(p.ParameterType)).Distinct().ToList();
            foreach (var type in byValue)
            {
                if (!help.InputTypes.Any(t => SameType(t, type))) problems.Add($"INPUTS lacks '### {type.FullName}' (a parameter takes it from the pipeline)");
            }
            if (byValue.Count == 0 && !help.InputTypes.SequenceEqual(new[] { "None" }))
                problems.Add("nothing binds from the pipeline by value, so INPUTS must say '### None'");
            // From the attributes, not CmdletInfo.OutputType: that getter also asks the runspace for its current location,
            // which fails now and then when read on a test thread while the fixture's runspace is not idle.
            var declared = cmdlet.ImplementingType.GetCustomAttributes(typeof(OutputTypeAttribute), false).Cast<OutputTypeAttribute>().SelectMany(a => a.Type);
            foreach (var output in declared)
            {
                if (!help.OutputTypes.Any(t => string.Equals(t, output.Name, StringComparison.OrdinalIgnoreCase) || (output.Type != null && SameType(t, output.Type))))
                    problems.Add($"OUTPUTS lacks '### {output.Name}' ([OutputType] of the cmdlet)");
            }
        }

        /// <summary>True when a documented type names the declared type (short or full name; T for Nullable&lt;T&gt;).</summary>
        public static bool SameType(string documented, Type type)
        {
            var underlying = Nullable.GetUnderlyingType(type) ?? type;
            var names = new[] { underlying.Name, underlying.FullName, type.FullName, type.ToString() };
            return names.Any(n => n != null && string.Equals(n, documented.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type).Name;

        private static Type ElementType(Type type) => type.IsArray ? type.GetElementType()! : Nullable.GetUnderlyingType(type) ?? type;

        private static IEnumerable<string> AcceptedValues(ParameterMetadata meta)
        {
            var set = meta.Attributes.OfType<ValidateSetAttribute>().FirstOrDefault();
            if (set != null) return set.ValidValues;
            var element = ElementType(meta.ParameterType);
            return element.IsEnum ? Enum.GetNames(element) : Enumerable.Empty<string>();
        }

        private static string StripDefault(string setName) =>
            setName.EndsWith("(Default)", StringComparison.Ordinal) ? setName.Substring(0, setName.Length - "(Default)".Length).Trim() : setName.Trim();
    }
}
