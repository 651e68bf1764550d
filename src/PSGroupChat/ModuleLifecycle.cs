using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PSGroupChat
{
    /// <summary>
    /// Import and removal hooks. On import, a resolve hook serves the module's third-party dlls from its
    /// <c>dependencies</c> folder, but only to the module's own assemblies, so another module asking for the same name
    /// never gets ours (PowerShell/PSResourceGet's rule). On pwsh 7 they load into the module's own
    /// <c>AssemblyLoadContext</c> (PSGroupChat.LoadContext.dll, a small .NET assembly, since this one is netstandard2.0),
    /// so a different version that another module put in the default context first does not block them; on Windows
    /// PowerShell 5.1 they load with <see cref="Assembly.LoadFrom(string)"/>. On removal, the hook goes and every session
    /// this runspace started is stopped, so no listener outlives the module.
    /// </summary>
    public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleLifecycle).Assembly.Location) ?? ".";
        private static readonly string DependencyFolder = Path.Combine(ModuleFolder, "dependencies");
        private static readonly Lazy<Func<string, Assembly?>> Loader = new Lazy<Func<string, Assembly?>>(CreateLoader);

        /// <summary>Installs the assembly resolve hook.</summary>
        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        /// <summary>Removes the hook and stops this runspace's sessions.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
            SessionRegistry.StopAllInCurrentRunspace("the PSGroupChat module was removed");
        }

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            if (!IsOwn(args.RequestingAssembly)) return null;
            var name = new AssemblyName(args.Name).Name;
            return name == null || !File.Exists(Path.Combine(DependencyFolder, name + ".dll")) ? null : Loader.Value(name);
        }

        /// <summary>True for an assembly of this module: the cmdlets, the engine, or one of the dependencies.</summary>
        private static bool IsOwn(Assembly? requester)
        {
            if (requester == null || requester.IsDynamic) return false;
            var folder = Path.GetDirectoryName(requester.Location);
            return folder != null
                && (string.Equals(folder, ModuleFolder, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(folder, DependencyFolder, StringComparison.OrdinalIgnoreCase));
        }

        private static Func<string, Assembly?> CreateLoader()
        {
            Func<string, Assembly?> loadFrom = name => Assembly.LoadFrom(Path.Combine(DependencyFolder, name + ".dll"));
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)) return loadFrom;
            try
            {
                var context = Assembly.LoadFrom(Path.Combine(ModuleFolder, "PSGroupChat.LoadContext.dll"));
                var loaderFor = context.GetType("PSGroupChat.LoadContext.DependencyLoadContext", throwOnError: true)!
                    .GetMethod("LoaderFor", BindingFlags.Public | BindingFlags.Static)!;
                return (Func<string, Assembly?>)loaderFor.Invoke(null, new object[] { DependencyFolder })!;
            }
            catch (Exception e) when (e is BadImageFormatException || e is FileLoadException || e is FileNotFoundException)
            {
                // A pwsh older than 7.4 runs on a .NET older than the context's net8.0: share the default context, as before.
                return loadFrom;
            }
        }
    }
}
