using System;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// What a help file says about one parameter, read from its yaml block(s). Two layouts are read: the PlatyPS
    /// schema 2.0.0 one the docs are written in ("Parameter Sets: (All)", "Required: True", ...) and the one
    /// Microsoft.PowerShell.PlatyPS 1.x writes when build.ps1 -Task UpdateDocs refreshes the files ("ParameterSets:"
    /// list with "IsRequired: true", ...), so that refreshing the docs does not break the checks.
    /// </summary>
    public sealed class DocumentedParameter
    {
        public const string AllSets = "(All)";

        public DocumentedParameter(string name) => Name = name;

        public string Name { get; }
        public string? Type { get; private set; }
        public List<string> Aliases { get; } = new List<string>();
        public List<string> AcceptedValues { get; } = new List<string>();
        public bool? SupportsWildcards { get; private set; }
        public string? DefaultValue { get; private set; }
        public bool HasDescription { get; set; }

        /// <summary>How the parameter binds in each parameter set it belongs to.</summary>
        public List<DocumentedParameterUsage> Usages { get; } = new List<DocumentedParameterUsage>();

        /// <summary>Problems found while reading the yaml (a malformed value, a missing key).</summary>
        public List<string> ReadProblems { get; } = new List<string>();

        /// <summary>Adds what one ```yaml block says.</summary>
        public void ReadYaml(string yaml)
        {
            var map = SimpleYaml.Parse(yaml);
            if (map.ContainsKey("ParameterSets")) ReadNewSchema(map);
            else ReadSchema2(map);
        }

        private void ReadSchema2(Dictionary<string, object> map)
        {
            Type = Scalar(map, "Type") ?? Type;
            AddList(Aliases, Scalar(map, "Aliases"));
            AddList(AcceptedValues, Scalar(map, "Accepted values"));
            var wildcards = Scalar(map, "Accept wildcard characters");
            if (wildcards != null) SupportsWildcards = Bool(wildcards, "Accept wildcard characters");
            DefaultValue = Scalar(map, "Default value") ?? DefaultValue;

            var sets = Scalar(map, "Parameter Sets");
            var required = Scalar(map, "Required");
            var position = Scalar(map, "Position");
            var pipeline = Scalar(map, "Accept pipeline input");
            if (sets == null || required == null || position == null || pipeline == null)
            {
                ReadProblems.Add("the yaml block needs 'Parameter Sets', 'Required', 'Position' and 'Accept pipeline input'");
                return;
            }
            bool byValue = false, byName = false;
            var p = pipeline.Trim();
            if (p.StartsWith("True", StringComparison.OrdinalIgnoreCase))
            {
                byValue = p.IndexOf("ByValue", StringComparison.OrdinalIgnoreCase) >= 0;
                byName = p.IndexOf("ByPropertyName", StringComparison.OrdinalIgnoreCase) >= 0;
                if (!byValue && !byName) ReadProblems.Add($"'Accept pipeline input: {p}' must say (ByValue), (ByPropertyName) or both");
            }
            else if (!p.Equals("False", StringComparison.OrdinalIgnoreCase))
            {
                ReadProblems.Add($"'Accept pipeline input: {p}' is neither True (...) nor False");
            }
            Usages.Add(new DocumentedParameterUsage(
                sets.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList(),
                Bool(required, "Required"), position.Trim(), byValue, byName));
        }

        private void ReadNewSchema(Dictionary<string, object> map)
        {
            Type = Scalar(map, "Type") ?? Type;
            AddItems(Aliases, map, "Aliases");
            AddItems(AcceptedValues, map, "AcceptedValues");
            var wildcards = Scalar(map, "SupportsWildcards");
            if (wildcards != null) SupportsWildcards = Bool(wildcards, "SupportsWildcards");
            DefaultValue = Scalar(map, "DefaultValue") ?? DefaultValue;
            if (!(map["ParameterSets"] is List<object> sets) || sets.Count == 0)
            {
                ReadProblems.Add("'ParameterSets' must list at least one set");
                return;
            }
            foreach (var item in sets)
            {
                if (!(item is Dictionary<string, object> set) || Scalar(set, "Name") == null)
                {
                    ReadProblems.Add("each entry of 'ParameterSets' needs a Name");
                    continue;
                }
                Usages.Add(new DocumentedParameterUsage(new List<string> { Scalar(set, "Name")! },
                    Bool(Scalar(set, "IsRequired") ?? "false", "IsRequired"),
                    Scalar(set, "Position") ?? "Named",
                    Bool(Scalar(set, "ValueFromPipeline") ?? "false", "ValueFromPipeline"),
                    Bool(Scalar(set, "ValueFromPipelineByPropertyName") ?? "false", "ValueFromPipelineByPropertyName")));
            }
        }

        private static string? Scalar(Dictionary<string, object> map, string key) =>
            map.TryGetValue(key, out var value) && value is string s ? s : null;

        private static void AddList(List<string> list, string? commaSeparated)
        {
            if (string.IsNullOrWhiteSpace(commaSeparated)) return;
            list.AddRange(commaSeparated.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0));
        }

        private static void AddItems(List<string> list, Dictionary<string, object> map, string key)
        {
            if (!map.TryGetValue(key, out var value)) return;
            if (value is List<object> items) list.AddRange(items.OfType<string>());
            else if (value is string s && s.Trim() != "[]") AddList(list, s.Trim('[', ']'));
        }

        private bool Bool(string text, string key)
        {
            if (bool.TryParse(text.Trim(), out bool value)) return value;
            ReadProblems.Add($"'{key}: {text}' is not True or False");
            return false;
        }
    }

    /// <summary>The binding of a parameter in the parameter sets a yaml block (or a ParameterSets entry) names.</summary>
    public sealed class DocumentedParameterUsage
    {
        public DocumentedParameterUsage(IReadOnlyList<string> sets, bool required, string position, bool byValue, bool byPropertyName)
        {
            Sets = sets;
            Required = required;
            Position = position;
            ByValue = byValue;
            ByPropertyName = byPropertyName;
        }

        public IReadOnlyList<string> Sets { get; }
        public bool Required { get; }
        public string Position { get; }
        public bool ByValue { get; }
        public bool ByPropertyName { get; }

        public bool Covers(string setName) => Sets.Any(s =>
            s == DocumentedParameter.AllSets || s == "__AllParameterSets" || string.Equals(s, setName, StringComparison.OrdinalIgnoreCase));
    }
}
