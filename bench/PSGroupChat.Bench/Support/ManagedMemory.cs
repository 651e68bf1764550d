using System;

namespace PSGroupChat.Bench.Support
{
    /// <summary>Managed heap sizes, after a full collection when a settled figure is wanted.</summary>
    internal static class ManagedMemory
    {
        public static long Settled()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return GC.GetTotalMemory(forceFullCollection: true);
        }

        /// <summary>The live heap now, without forcing a collection: what a sampler sees while work goes on.</summary>
        public static long Now() => GC.GetTotalMemory(forceFullCollection: false);
    }
}
