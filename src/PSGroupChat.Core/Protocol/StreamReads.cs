using System;
using System.IO;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Reads from a stream through the runtime's <c>ReadAsync(Memory&lt;byte&gt;, CancellationToken)</c> where it has one
    /// (.NET Core 2.1 and later): netstandard2.0 sees only <c>ReadAsync(byte[], int, int)</c>, which on a socket or TLS
    /// stream wraps every read that has to wait in a Task of its own (53 MB of them while a 100-peer mesh formed). On
    /// .NET Framework the array overload runs, as before.
    /// </summary>
    internal static class StreamReads
    {
        private static readonly Func<Stream, Memory<byte>, CancellationToken, ValueTask<int>>? MemoryRead = Find();

        public static ValueTask<int> ReadAsync(Stream stream, byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            MemoryRead != null
                ? MemoryRead(stream, new Memory<byte>(buffer, offset, count), cancellationToken)
                : new ValueTask<int>(stream.ReadAsync(buffer, offset, count, cancellationToken));

        private static Func<Stream, Memory<byte>, CancellationToken, ValueTask<int>>? Find()
        {
            var method = typeof(Stream).GetMethod(nameof(Stream.ReadAsync), new[] { typeof(Memory<byte>), typeof(CancellationToken) });
            if (method == null || method.ReturnType != typeof(ValueTask<int>)) return null;
            try
            {
                // An open instance delegate of a virtual method calls the stream's own override.
                return (Func<Stream, Memory<byte>, CancellationToken, ValueTask<int>>)Delegate.CreateDelegate(
                    typeof(Func<Stream, Memory<byte>, CancellationToken, ValueTask<int>>), method);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
