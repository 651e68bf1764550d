using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Xunit;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>Waits on a condition with a generous limit: tests never sleep a fixed time.</summary>
    public static class Eventually
    {
        public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(30);

        public static async Task True(Func<bool> condition, string what, TimeSpan? limit = null)
        {
            var watch = Stopwatch.StartNew();
            var max = limit ?? DefaultLimit;
            while (!condition())
            {
                if (watch.Elapsed > max) Assert.Fail($"Still not true after {max.TotalSeconds:0} s: {what}");
                await Task.Delay(20);
            }
        }
    }
}
