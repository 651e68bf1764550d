using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace PSGroupChat.Bench.Reporting
{
    /// <summary>What the figures were measured on: they mean little without it.</summary>
    internal sealed class MachineDescription
    {
        public int LogicalCores { get; private set; }
        public string Cpu { get; private set; } = "unknown";
        public string Memory { get; private set; } = "unknown";
        public string OperatingSystem { get; private set; } = RuntimeInformation.OSDescription;
        public string Runtime { get; private set; } = RuntimeInformation.FrameworkDescription;
        public string NetMQ { get; private set; } = VersionOf(typeof(NetMQ.NetMQSocket));
        public string PowerShellEngine { get; private set; } = VersionOf(typeof(System.Management.Automation.PowerShell));

        /// <summary>The 1-minute load average when the run started (Linux): other work on the machine skews every figure.</summary>
        public string LoadAtStart { get; private set; } = "unknown";

        /// <summary>The same when the run ended.</summary>
        public string LoadAtEnd { get; private set; } = "unknown";

        public void NoteEnd() => LoadAtEnd = LoadAverage();

        public static MachineDescription Current()
        {
            var machine = new MachineDescription { LogicalCores = Environment.ProcessorCount, LoadAtStart = LoadAverage() };
            machine.Cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
            var memory = FirstValue("/proc/meminfo", "MemTotal");
            if (memory != null && long.TryParse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out long kib))
                machine.Memory = $"{kib / (1024.0 * 1024.0):0.#} GiB";
            return machine;
        }

        public override string ToString() =>
            $"{LogicalCores} logical cores ({Cpu}), {Memory} memory, {OperatingSystem}, {Runtime}; NetMQ {NetMQ}; " +
            $"System.Management.Automation {PowerShellEngine}; 1-minute load average {LoadAtStart} at the start, {LoadAtEnd} at the end";

        private static string LoadAverage() =>
            File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

        private static string? FirstValue(string file, string key)
        {
            if (!File.Exists(file)) return null;
            return File.ReadLines(file)
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2 && parts[0].Trim() == key)
                .Select(parts => parts[1].Trim())
                .FirstOrDefault();
        }

        /// <summary>The package's version (the informational one: System.Management.Automation 7.6.9's assembly says 7.6.0.500).</summary>
        private static string VersionOf(Type type)
        {
            var informational = type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
            return informational?.Split('+', ' ')[0] ?? type.Assembly.GetName().Version?.ToString() ?? "?";
        }
    }
}
