using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// A read-only stream over fixed bytes that hands them out a few at a time, as a socket may: each read returns the
    /// next chunk size from a list (cycled), never more than asked for, so a frame can arrive split at any byte.
    /// </summary>
    public sealed class ChunkedStream : Stream
    {
        private readonly byte[] _data;
        private readonly int[] _chunks;
        private int _position;
        private int _read;
        private bool _waitedForData;

        public ChunkedStream(byte[] data, params int[] chunks)
        {
            if (chunks.Length == 0) throw new ArgumentException("at least one chunk size", nameof(chunks));
            foreach (int c in chunks) if (c < 1) throw new ArgumentException("chunk sizes are at least 1", nameof(chunks));
            _data = data;
            _chunks = chunks;
        }

        /// <summary>How many reads were served, the one that reported the end included.</summary>
        public int Reads => _read;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // A zero-byte read is how a reader waits for data without holding a buffer, as a socket allows: it returns
            // at once. Two in a row, with no real read between, would be a reader spinning.
            if (buffer.Length < 1)
            {
                if (_waitedForData) throw new ArgumentOutOfRangeException(nameof(buffer), "a reader asking for nothing twice in a row would spin");
                _waitedForData = true;
                return 0;
            }
            _waitedForData = false;
            int chunk = _chunks[_read++ % _chunks.Length];
            int n = Math.Min(Math.Min(chunk, buffer.Length), _data.Length - _position);
            _data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        // Straight into the reader's memory: a copy through a new array the size of the reader's buffer (64 KiB and
        // more) on every read of a byte or two made the large-frame properties run for minutes, mostly in the collector.
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new ValueTask<int>(Read(buffer.Span));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
