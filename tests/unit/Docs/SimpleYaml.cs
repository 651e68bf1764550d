using System;
using System.Collections.Generic;

namespace PSGroupChat.Tests.Docs
{
    /// <summary>
    /// The small part of YAML that parameter blocks of help files use: "key: value" lines, and a key followed by a
    /// list of "- item" or "- Key: value" entries with indented "Key: value" lines. Values are strings.
    /// </summary>
    public static class SimpleYaml
    {
        public static Dictionary<string, object> Parse(string yaml)
        {
            var map = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            List<object>? list = null;
            Dictionary<string, object>? entry = null;
            foreach (var raw in yaml.Replace("\r\n", "\n").Split('\n'))
            {
                if (raw.Trim().Length == 0) continue;
                bool indented = raw[0] == ' ' || raw[0] == '-';
                var line = raw.Trim();
                if (!indented)
                {
                    var (key, value) = Split(line);
                    list = null;
                    entry = null;
                    if (value.Length == 0)
                    {
                        // Either an empty scalar ("Aliases:") or the head of a list: decided by the next lines.
                        list = new List<object>();
                        map[key] = string.Empty;
                        map[key + "\u0000list"] = list;
                    }
                    else
                    {
                        map[key] = value;
                    }
                    continue;
                }
                if (list == null) throw new FormatException($"'{line}' is indented but follows no list");
                if (line.StartsWith("-", StringComparison.Ordinal))
                {
                    var item = line.Substring(1).Trim();
                    if (item.IndexOf(':') > 0)
                    {
                        entry = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
                        var (key, value) = Split(item);
                        entry[key] = value;
                        list.Add(entry);
                    }
                    else
                    {
                        entry = null;
                        list.Add(Unquote(item));
                    }
                }
                else
                {
                    if (entry == null) throw new FormatException($"'{line}' continues no list entry");
                    var (key, value) = Split(line);
                    entry[key] = value;
                }
            }

            // A key with an empty value is a list when list lines followed it, and an empty string otherwise.
            foreach (var key in new List<string>(map.Keys))
            {
                if (!key.EndsWith("\u0000list", StringComparison.Ordinal)) continue;
                var items = (List<object>)map[key];
                map.Remove(key);
                if (items.Count > 0) map[key.Substring(0, key.Length - 5)] = items;
            }
            return map;
        }

        private static (string Key, string Value) Split(string line)
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new FormatException($"'{line}' is not 'key: value'");
            return (line.Substring(0, colon).Trim(), Unquote(line.Substring(colon + 1).Trim()));
        }

        private static string Unquote(string value) =>
            value.Length >= 2 && ((value[0] == '\'' && value[value.Length - 1] == '\'') || (value[0] == '"' && value[value.Length - 1] == '"'))
                ? value.Substring(1, value.Length - 2)
                : value;
    }
}
