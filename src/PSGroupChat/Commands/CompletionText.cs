using System.Management.Automation.Language;

namespace PSGroupChat.Commands
{
    /// <summary>How the completers read the word typed so far and quote what they offer.</summary>
    internal static class CompletionText
    {
        /// <summary>The word typed so far without its opening quote.</summary>
        public static string Prefix(string? wordToComplete) => (wordToComplete ?? string.Empty).Trim('\'', '"');

        /// <summary><paramref name="text"/> as a single-quoted PowerShell string when it needs quoting.</summary>
        public static string Quote(string text)
        {
            foreach (char c in text)
            {
                if (!char.IsLetterOrDigit(c) && c != '-' && c != '_' && c != '.') return "'" + CodeGeneration.EscapeSingleQuotedStringContent(text) + "'";
            }
            return text;
        }
    }
}
