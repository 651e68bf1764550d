using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// An array pool that hands out arrays of exactly the size asked for and remembers every request, so a test can
    /// assert that a reader never asked for more than its frame limit allows, and that it gave back exactly what it
    /// took (a double return would hand one buffer to two connections of a real pool).
    /// </summary>
    public sealed class RecordingArrayPool : ArrayPool<byte>
    {
        private readonly HashSet<byte[]> _out = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        private readonly List<string> _misuse = new List<string>();

        /// <summary>Requests above this are refused instead of allocated: a hostile length must not cost the test machine.</summary>
        public int RefuseAbove { get; set; } = 64 * 1024 * 1024;

        /// <summary>The largest size requested so far.</summary>
        public int LargestRequest { get; private set; }

        /// <summary>How many arrays are rented and not returned.</summary>
        public int Outstanding => _out.Count;

        /// <summary>Returns of arrays this pool did not hand out, or handed out and already got back.</summary>
        public IReadOnlyList<string> Misuse => _misuse;

        public override byte[] Rent(int minimumLength)
        {
            if (minimumLength > LargestRequest) LargestRequest = minimumLength;
            // Recorded first, so a test sees the request even when it is refused here rather than allocated for real.
            if (minimumLength > RefuseAbove) throw new InvalidOperationException($"refused to allocate {minimumLength} bytes");
            var array = new byte[minimumLength];
            _out.Add(array);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            if (!_out.Remove(array)) _misuse.Add($"returned an array of {array.Length} bytes that was not rented, or twice");
        }
    }
}
