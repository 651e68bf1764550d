using System;
using System.IO;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>Where the repository and the built module are, found from the test binaries.</summary>
    public static class RepositoryPaths
    {
        public static string Root { get; } = FindRoot();

        public static string ModuleFolder => Path.Combine(Root, "out", "PSGroupChat");

        public static string ModuleManifest => Path.Combine(ModuleFolder, "PSGroupChat.psd1");

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
