using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace PSGroupChat.LoadContext
{
    /// <summary>
    /// Holds the module's third-party dlls apart from the default context, so that another module's copy of the same
    /// assembly (any version) neither blocks ours nor is replaced by it. It answers only for the dlls in the module's
    /// <c>dependencies</c> folder that the runtime itself does not supply; everything else falls through to the default
    /// context, so framework types stay shared with PowerShell.
    /// </summary>
    public sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static DependencyLoadContext? _instance;
        private readonly string _folder;
        private readonly HashSet<string> _platform;

        private DependencyLoadContext(string folder)
            : base("PSGroupChat", isCollectible: false)
        {
            _folder = folder;
            _platform = PlatformAssemblyNames();
        }

        /// <summary>
        /// The loader of the module's dependencies in <paramref name="folder"/>: one context per process, made on the
        /// first import (a module's dlls cannot be unloaded, so a re-import reuses it). Called by reflection from the
        /// netstandard2.0 cmdlet assembly, hence the plain delegate.
        /// </summary>
        public static Func<string, Assembly?> LoaderFor(string folder)
        {
            lock (Gate) _instance ??= new DependencyLoadContext(folder);
            return _instance.LoadDependency;
        }

        /// <inheritdoc />
        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == null ? null : LoadDependency(assemblyName.Name);

        private Assembly? LoadDependency(string name)
        {
            if (_platform.Contains(name)) return null; // the runtime's own copy wins, as it would without this context
            var path = Path.Combine(_folder, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        private static HashSet<string> PlatformAssemblyNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
            return names;
        }
    }
}
