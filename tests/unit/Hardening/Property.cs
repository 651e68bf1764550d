using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using CsCheck;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// Runs a CsCheck property over a fixed, reproducible series of cases. CsCheck's own Sample takes a seed for its
    /// first case only and draws the rest from a per-thread random source, so it cannot give CI the same cases on every
    /// run; here one generator state, made from a fixed seed, produces every case in order on one thread. On a failure
    /// the case's CsCheck seed is reported, and CsCheck is asked to shrink from it to a smaller failing input.
    /// </summary>
    public static class Property
    {
        /// <summary>The seed every property test starts from. Change it to explore; CI always uses this one.</summary>
        public const ulong Seed = 0x5EED_C4A7_2024UL;

        /// <summary>Checks <paramref name="property"/> for <paramref name="cases"/> inputs; returns how long it took.</summary>
        public static TimeSpan Check<T>(Gen<T> gen, Action<T> property, int cases, uint stream = 1, Func<T, string>? print = null)
        {
            var watch = Stopwatch.StartNew();
            foreach (var (index, seed, input) in Cases(gen, cases, stream))
            {
                try
                {
                    property(input);
                }
                catch (Exception e)
                {
                    throw Failure(gen, property, seed, index, cases, input, e, print);
                }
            }
            return watch.Elapsed;
        }

        /// <summary>The asynchronous form, for properties that drive a socket.</summary>
        public static async Task<TimeSpan> CheckAsync<T>(Gen<T> gen, Func<T, Task> property, int cases, uint stream = 1, Func<T, string>? print = null)
        {
            var watch = Stopwatch.StartNew();
            foreach (var (index, seed, input) in Cases(gen, cases, stream))
            {
                try
                {
                    await property(input).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // No shrinking here: each case of a socket property costs a connection, and the seed alone reproduces it.
                    throw new Exception($"Case {index + 1} of {cases} failed (CsCheck seed \"{seed}\"): {Show(input, print)}\n{e.Message}", e);
                }
            }
            return watch.Elapsed;
        }

        /// <summary>The cases, in order, each with the CsCheck seed that regenerates it alone.</summary>
        private static IEnumerable<(int Index, string Seed, T Input)> Cases<T>(Gen<T> gen, int cases, uint stream)
        {
            var pcg = new PCG(stream, Seed);
            for (int i = 0; i < cases; i++)
            {
                ulong state = pcg.State;
                T input = gen.Generate(pcg, null, out _);
                yield return (i, pcg.ToString(state), input);
            }
        }

        private static Exception Failure<T>(Gen<T> gen, Action<T> property, string seed, int index, int cases, T input, Exception e, Func<T, string>? print)
        {
            string shrunk;
            try
            {
                // Shrinking is random by nature, but it starts from the failing case and runs only after a failure.
                gen.Sample(property, seed: seed, iter: 20_000, threads: 1, print: print);
                shrunk = "(CsCheck did not reproduce it on its own)";
            }
            catch (CsCheckException shrinking)
            {
                shrunk = shrinking.Message;
            }
            return new Exception($"Case {index + 1} of {cases} failed (CsCheck seed \"{seed}\"): {Show(input, print)}\n{e.Message}\nShrunk: {shrunk}", e);
        }

        private static string Show<T>(T input, Func<T, string>? print)
        {
            string text = print != null ? print(input) : CsCheck.Check.Print(input);
            return text.Length <= 2000 ? text : text.Substring(0, 2000) + " …";
        }
    }
}
