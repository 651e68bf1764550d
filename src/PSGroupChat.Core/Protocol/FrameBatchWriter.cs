using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// Gathers whole frames into one pooled buffer so that a burst of messages costs one socket write, not one per message.
    /// Used by exactly one writer loop per connection, which is what keeps frames from interleaving on the socket.
    /// The buffer is rented when the first frame of a batch comes and given back once the batch is written, so an idle
    /// link holds none. It is sized for what is queued when the batch starts (at least 4 KiB, at most 64 KiB), and twice
    /// the last one once a batch filled up: while a mesh forms, hundreds of links each send a few small frames at once,
    /// and a 64 KiB buffer for each emptied the shared pool, while a stream of messages keeps its 64 KiB writes.
    /// </summary>
    internal sealed class FrameBatchWriter : IDisposable
    {
        private const int BatchSize = 64 * 1024;
        private const int SmallestBatch = 4 * 1024;
        private readonly Stream _stream;
        private byte[]? _batch;
        private int _length;
        private int _floor; // the least a new batch rents: a stream that filled its batch is given a larger one from then on

        public FrameBatchWriter(Stream stream) => _stream = stream;

        /// <summary>True when the next frame of this size should go after a flush.</summary>
        private bool IsFullFor(int frameSize) => _length > 0 && _length + frameSize > _batch!.Length;

        /// <summary>
        /// Copies an encoded frame into the batch, or writes it straight through when it is larger than a batch.
        /// <paramref name="queuedBehind"/> is how many bytes wait behind this frame: a new batch is made large enough for them.
        /// </summary>
        public async ValueTask AppendAsync(byte[] frame, long queuedBehind, CancellationToken cancellationToken)
        {
            if (IsFullFor(frame.Length))
            {
                _floor = Math.Min(BatchSize, _batch!.Length * 2);
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            if (frame.Length > BatchSize)
            {
                await _stream.WriteAsync(frame, 0, frame.Length, cancellationToken).ConfigureAwait(false);
                return;
            }
            var batch = _batch ??= ArrayPool<byte>.Shared.Rent((int)Math.Max(Math.Max(SmallestBatch, _floor), Math.Min(BatchSize, frame.Length + queuedBehind)));
            Buffer.BlockCopy(frame, 0, batch, _length, frame.Length);
            _length += frame.Length;
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (_length == 0) return;
            int length = _length;
            _length = 0;
            await _stream.WriteAsync(_batch!, 0, length, cancellationToken).ConfigureAwait(false);
            Dispose();
        }

        /// <summary>Gives the buffer back; the next frame rents one again.</summary>
        public void Dispose()
        {
            var batch = Interlocked.Exchange(ref _batch, null);
            if (batch != null) ArrayPool<byte>.Shared.Return(batch);
        }
    }
}
