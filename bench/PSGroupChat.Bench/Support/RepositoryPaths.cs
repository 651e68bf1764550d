using System;
using System.IO;

namespace PSGroupChat.Bench.Support
{
    /// <summary>Where the repository and the built module are, found from the program's own folder.</summary>
    internal static class RepositoryPaths
    {
        public static string Root { get; } = FindRoot();

        public static string ModuleManifest => Path.Combine(Root, "out", "PSGroupChat", "PSGroupChat.psd1");

        private static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PSGroupChat.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("PSGroupChat.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
