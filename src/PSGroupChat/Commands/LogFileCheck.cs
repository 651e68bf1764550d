using System;
using System.IO;
using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// Checks a -LogPath before a session starts: its folder must exist (nothing is created but the file) and the file
    /// must open for appending, so a bad path is a clear error instead of a .NET exception from inside the session.
    /// </summary>
    internal static class LogFileCheck
    {
        /// <summary>An error record saying what is wrong with <paramref name="path"/>, or null when a log can be appended there.</summary>
        public static ErrorRecord? Problem(string path, string given)
        {
            var folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            {
                return ChatErrors.Record(new DirectoryNotFoundException($"The folder of the log file '{given}' does not exist: {folder}."),
                    "LogFolderNotFound", ErrorCategory.ObjectNotFound, given,
                    "Create the folder first (New-Item -ItemType Directory), or give -LogPath a file in an existing folder.");
            }
            if (Directory.Exists(path))
            {
                return ChatErrors.Record(new IOException($"The log path '{given}' is a folder, not a file."),
                    "LogPathIsFolder", ErrorCategory.InvalidArgument, given,
                    "Give -LogPath a file name, e.g. -LogPath ./chat.jsonl.");
            }
            try
            {
                using (new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { }
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is System.Security.SecurityException)
            {
                return ChatErrors.Record(new IOException($"The log file '{given}' cannot be written: {e.Message}", e),
                    "LogFileNotWritable", ErrorCategory.WriteError, given,
                    "Give -LogPath a file you may write to, in an existing folder (e.g. under your home folder or $env:TEMP).");
            }
        }
    }
}
