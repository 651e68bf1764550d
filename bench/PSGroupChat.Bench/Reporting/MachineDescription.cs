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

        public static MachineDescription Current()
        {
            var machine = new MachineDescription { LogicalCores = Environment.ProcessorCount };
            machine.Cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
            var memory = FirstValue("/proc/meminfo", "MemTotal");
            if (memory != null && long.TryParse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out long kib))
                machine.Memory = $"{kib / (1024.0 * 1024.0):0.#} GiB";
            return machine;
        }

        public override string ToString() =>
            $"{LogicalCores} logical cores ({Cpu}), {Memory} memory, {OperatingSystem}, {Runtime}; NetMQ {NetMQ}; System.Management.Automation {PowerShellEngine}";

        private static string? FirstValue(string file, string key)
        {
            if (!File.Exists(file)) return null;
            return File.ReadLines(file)
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2 && parts[0].Trim() == key)
                .Select(parts => parts[1].Trim())
                .FirstOrDefault();
        }

        private static string VersionOf(Type type) => type.Assembly.GetName().Version?.ToString() ?? "?";
    }
}
