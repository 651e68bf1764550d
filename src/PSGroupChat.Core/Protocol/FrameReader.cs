using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Reads length-prefixed frames (4-byte big-endian length, then payload) from a stream.
    /// A single read may return part of a frame or several frames: this reader keeps reading until a frame is whole,
    /// and checks the declared length against the limit before it allocates anything for it.
    /// With nothing buffered it waits for data with a zero-byte read and holds no buffer meanwhile, so an idle link
    /// costs no pooled buffer: a peer in a mesh of 100 has 99 links, most of them idle most of the time.
    /// A link starts with 4 KiB buffers: one that brings a few small frames (a mesh forming: hundreds of links at once,
    /// each with a hello and a member list) rents no more, and only a stream that fills its buffer is given larger ones,
    /// up to 64 KiB. Renting 64 KiB for every burst emptied the shared pool while a 100-peer
    /// mesh formed, and the pool then allocated 2.3 GB of fresh buffers.
    /// </summary>
    internal sealed class FrameReader : IDisposable
    {
        internal const int PrefixSize = 4;
        private const int SmallestBuffer = 4 * 1024;
        private const int LargestBuffer = 64 * 1024;

        private readonly Stream _stream;
        private readonly int _maxFrameSize;
        private readonly ArrayPool<byte> _pool;
        private byte[]? _buffer;
        private int _start;
        private int _end;
        private int _consumeOnNext;
        private int _disposed;
        private int _nextBuffer = SmallestBuffer; // the size of the buffer to rent when data comes next

        /// <param name="stream">The connection's stream.</param>
        /// <param name="maxFrameSize">The largest payload accepted; no buffer larger than this plus the prefix is ever rented.</param>
        /// <param name="pool">Where buffers come from; the shared pool unless a test wants to watch what is rented.</param>
        public FrameReader(Stream stream, int maxFrameSize, ArrayPool<byte>? pool = null)
        {
            _stream = stream;
            _maxFrameSize = maxFrameSize;
            _pool = pool ?? ArrayPool<byte>.Shared;
        }

        /// <summary>How many reads from the stream brought data: it changes when a frame came with new bytes, not from the buffer.</summary>
        public long Fills { get; private set; }

        /// <summary>The payload of the frame last read; valid until the next call to <see cref="ReadFrameAsync"/>.</summary>
        public ReadOnlyMemory<byte> Current { get; private set; }

        /// <summary>Reads the next whole frame. Returns false at a clean end of stream between frames.</summary>
        /// <exception cref="WireProtocolException">A bad length, or the stream ended inside a frame.</exception>
        public async ValueTask<bool> ReadFrameAsync(CancellationToken cancellationToken)
        {
            _start += _consumeOnNext;
            _consumeOnNext = 0;
            Current = ReadOnlyMemory<byte>.Empty;
            while (true)
            {
                int buffered = _end - _start;
                if (buffered >= PrefixSize)
                {
                    int length = ReadLength(_buffer!, _start);
                    if (length <= 0 || length > _maxFrameSize)
                    {
                        throw new WireProtocolException(
                            length <= 0
                                ? $"frame length {length} is not allowed (a frame carries at least one byte)"
                                : $"frame length {length} exceeds the limit of {_maxFrameSize} bytes");
                    }
                    int total = PrefixSize + length;
                    if (buffered >= total)
                    {
                        Current = new ReadOnlyMemory<byte>(_buffer, _start + PrefixSize, length);
                        _consumeOnNext = total;
                        return true;
                    }
                    MakeRoom(total);
                }
                else if (buffered == 0)
                {
                    await WaitForDataAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    MakeRoom(PrefixSize);
                }

                int room = _buffer!.Length - _end;
                int read = await StreamReads.ReadAsync(_stream, _buffer!, _end, room, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (_end == _start) return false;
                    throw new WireProtocolException($"the connection ended inside a frame ({_end - _start} bytes of it had arrived)");
                }
                // A read that filled the room may have left more behind: the buffers of this link are twice as large from
                // now on. They never shrink: a link that once streamed keeps reading 64 KiB at a time.
                if (read == room) _nextBuffer = Math.Min(LargestBuffer, Math.Max(_nextBuffer, _buffer.Length * 2));
                _end += read;
                Fills++;
            }
        }

        /// <summary>
        /// Gives the buffer back and waits until data arrives (or the stream ends: the read that follows returns 0),
        /// then rents a fresh one. A zero-byte read completes at once when data is already there.
        /// </summary>
        private async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
        {
            ReturnBuffer();
            await StreamReads.ReadAsync(_stream, Array.Empty<byte>(), 0, 0, cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _disposed) != 0) throw new ObjectDisposedException(nameof(FrameReader));
            _buffer = _pool.Rent(Math.Min(_nextBuffer, _maxFrameSize + PrefixSize));
        }

        private void ReturnBuffer()
        {
            _start = _end = 0;
            var buffer = Interlocked.Exchange(ref _buffer, null);
            if (buffer != null) _pool.Return(buffer);
        }

        private static int ReadLength(byte[] buffer, int offset) =>
            (buffer[offset] << 24) | (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3];

        /// <summary>Ensures that a frame of <paramref name="needed"/> bytes fits behind the read position.</summary>
        private void MakeRoom(int needed)
        {
            var buffer = _buffer!;
            if (buffer.Length - _start >= needed && _end < buffer.Length) return;
            int buffered = _end - _start;
            if (needed <= buffer.Length)
            {
                Buffer.BlockCopy(buffer, _start, buffer, 0, buffered);
            }
            else
            {
                // Only reached after the length was checked against the limit, so a hostile prefix cannot make us allocate.
                var larger = _pool.Rent(needed);
                Buffer.BlockCopy(buffer, _start, larger, 0, buffered);
                _pool.Return(buffer);
                _buffer = larger;
            }
            _start = 0;
            _end = buffered;
        }

        public void Dispose()
        {
            Volatile.Write(ref _disposed, 1);
            var buffer = Interlocked.Exchange(ref _buffer, null);
            if (buffer != null) _pool.Return(buffer);
        }
    }
}
