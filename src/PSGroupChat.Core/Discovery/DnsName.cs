using System;
using System.Collections.Generic;
using System.Text;

namespace PSGroupChat.Discovery
{
    /// <summary>
    /// Names as the code writes them: labels joined by '.', a '.' or '\' inside a label escaped with '\' (DNS-SD instance
    /// names may contain dots, RFC 6763 §4.3), no trailing dot. Compared without regard to ASCII case (RFC 6762 §16).
    /// </summary>
    internal static class DnsName
    {
        /// <summary>Compares names as DNS does.</summary>
        public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

        /// <summary>The labels of <paramref name="name"/>, each checked against the label and name limits.</summary>
        public static List<string> Labels(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            var labels = new List<string>();
            var label = new StringBuilder();
            int wireBytes = 1; // the root's zero byte
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c == '\\' && i + 1 < name.Length) label.Append(name[++i]);
                else if (c == '.') Close(labels, label, ref wireBytes, name);
                else label.Append(c);
            }
            Close(labels, label, ref wireBytes, name);
            return labels;
        }

        /// <summary>One label as it appears inside a name: dots and backslashes escaped.</summary>
        public static string Escape(string label) => label.Replace("\\", "\\\\").Replace(".", "\\.");

        /// <summary>The name of <paramref name="labels"/>, escaped.</summary>
        public static string Join(IEnumerable<string> labels)
        {
            var name = new StringBuilder();
            foreach (var label in labels)
            {
                if (name.Length > 0) name.Append('.');
                name.Append(Escape(label));
            }
            return name.ToString();
        }

        private static void Close(List<string> labels, StringBuilder label, ref int wireBytes, string name)
        {
            if (label.Length == 0) throw new ArgumentException($"The DNS name '{name}' has an empty label.", nameof(name));
            int bytes = Encoding.UTF8.GetByteCount(label.ToString());
            if (bytes > DnsLimits.MaxLabelBytes) throw new ArgumentException($"A label of the DNS name '{name}' is longer than {DnsLimits.MaxLabelBytes} bytes.", nameof(name));
            wireBytes += 1 + bytes;
            if (wireBytes > DnsLimits.MaxNameBytes) throw new ArgumentException($"The DNS name '{name}' is longer than {DnsLimits.MaxNameBytes} bytes.", nameof(name));
            labels.Add(label.ToString());
            label.Clear();
        }
    }
}
