using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace PSGroupChat
{
    /// <summary>
    /// Import and removal hooks. On import, third-party dlls are served from the module's <c>dependencies</c> folder
    /// only when PowerShell cannot find them itself (PowerShell/PSResourceGet's pattern for a netstandard2.0 module):
    /// pwsh 7.4+ supplies System.Text.Json and its kin, so only what it lacks comes from us. On removal, the hook goes
    /// and every session this runspace started is stopped, so no listener outlives the module.
    /// </summary>
    public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleLifecycle).Assembly.Location) ?? ".", "dependencies");

        private static readonly HashSet<string> Dependencies = ListDependencies();

        /// <summary>Installs the assembly resolve hook.</summary>
        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        /// <summary>Removes the hook and stops this runspace's sessions.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
            SessionRegistry.StopAllInCurrentRunspace("the PSGroupChat module was removed");
        }

        private static HashSet<string> ListDependencies()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (Directory.Exists(DependencyFolder))
            {
                foreach (var file in Directory.GetFiles(DependencyFolder, "*.dll")) names.Add(Path.GetFileNameWithoutExtension(file));
            }
            return names;
        }

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (name == null || !Dependencies.Contains(name)) return null;
            return Assembly.LoadFrom(Path.Combine(DependencyFolder, name + ".dll"));
        }
    }
}
