using System;
using System.Buffers;

namespace PSGroupChat.Protocol
{
    /// <summary>
    /// A growable buffer the JSON writer fills, reused per thread so that encoding a message allocates only the
    /// finished frame. The first four bytes are left for the length prefix.
    /// </summary>
    internal sealed class FrameBuilder : IBufferWriter<byte>
    {
        private byte[] _buffer = new byte[1024];
        private int _written = FrameReader.PrefixSize;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsSpan(_written);
        }

        public void Reset() => _written = FrameReader.PrefixSize;

        /// <summary>Copies the frame out with its big-endian length prefix.</summary>
        public byte[] ToFrame()
        {
            int length = _written - FrameReader.PrefixSize;
            _buffer[0] = (byte)(length >> 24);
            _buffer[1] = (byte)(length >> 16);
            _buffer[2] = (byte)(length >> 8);
            _buffer[3] = (byte)length;
            var frame = new byte[_written];
            Buffer.BlockCopy(_buffer, 0, frame, 0, _written);
            return frame;
        }

        private void Ensure(int sizeHint)
        {
            if (sizeHint < 1) sizeHint = 256;
            if (_buffer.Length - _written >= sizeHint) return;
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _written + sizeHint));
        }
    }
}
