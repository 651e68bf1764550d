using System.Text;

namespace PSGroupChat.Display
{
    /// <summary>
    /// Makes text from a remote member harmless on a console: a control character must not move the cursor, change
    /// colours or clear the user's screen, so each is shown as U+FFFD, and a tab as a space. The format views and the
    /// chat room both show remote text through this.
    /// </summary>
    public static class ConsoleText
    {
        private const char Replacement = '\uFFFD';

        /// <summary><paramref name="text"/> with every control character shown as U+FFFD and tabs as spaces.</summary>
        public static string Clean(string? text)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            int first = 0;
            while (first < text!.Length && !char.IsControl(text[first])) first++;
            if (first == text.Length) return text; // the usual case: nothing to copy
            var clean = new StringBuilder(text.Length).Append(text, 0, first);
            for (int i = first; i < text.Length; i++)
            {
                char c = text[i];
                clean.Append(c == '\t' ? ' ' : char.IsControl(c) ? Replacement : c);
            }
            return clean.ToString();
        }
    }
}
