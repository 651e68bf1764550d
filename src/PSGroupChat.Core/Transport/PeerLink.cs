using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using PSGroupChat.Protocol;

namespace PSGroupChat.Transport
{
    /// <summary>
    /// One TCP link to one remote peer. It starts with <see cref="OpenAsync"/> (preambles, then TLS unless plaintext), and
    /// from then on carries frames over that stream. Exactly one reader loop and one writer loop touch the stream; everything else
    /// hands frames to the bounded outgoing queue, so a slow member never blocks a sender and two writers never
    /// interleave bytes. A member whose queue overflows is disconnected as a slow consumer. Knows nothing of sessions.
    /// </summary>
    internal sealed class PeerLink
    {
        private readonly Socket _socket;
        private readonly int _maxFrameSize;
        private readonly NetworkStream _network;
        private System.IO.Stream _stream; // the socket's own stream, or the TLS stream over it once OpenAsync has run
        private FrameReader _reader;
        private readonly Channel<byte[]> _outgoing;
        private readonly CancellationTokenSource _closing = new CancellationTokenSource();
        private readonly TaskCompletionSource<LinkClosure> _closed = new TaskCompletionSource<LinkClosure>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TimeProvider _time;
        private readonly long _maxQueuedBytes;
        private Task _writer = Task.CompletedTask;
        private long _queuedBytes;
        private long _lastReceived;
        private int _closeStarted;
        private int _draining;
        private int _readerRunning;
        private LinkClosure? _closure;
        private LinkClosure? _endedWith; // set once our side has ended its stream: the closure to record when the other side ends its own
        private Action? _started;

        public PeerLink(Socket socket, PeerDirection direction, ChatEndpoint? dialedEndpoint, LinkOptions options)
        {
            _socket = socket;
            _socket.NoDelay = true;
            _stream = _network = new NetworkStream(socket, ownsSocket: false);
            _maxFrameSize = options.MaxFrameSize;
            _reader = new FrameReader(_stream, options.MaxFrameSize);
            _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.SendQueueCapacity)
            {
                SingleReader = true,
                SingleWriter = false,
                FullMode = BoundedChannelFullMode.Wait, // never used to wait: TrySend fails instead, and the member is dropped
            });
            _maxQueuedBytes = options.SendQueueBytes;
            _time = options.Time;
            Direction = direction;
            DialedEndpoint = dialedEndpoint;
            RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
            MarkReceived();
        }

        public PeerDirection Direction { get; }

        /// <summary>Whether the link runs in TLS; known once <see cref="OpenAsync"/> has run.</summary>
        public bool Encrypted { get; private set; }

        /// <summary>
        /// The SHA-256 fingerprint of the other side's identity key: the listener's from its TLS certificate, the dialer's
        /// once the handshake has checked its signature (<see cref="KeyProven"/>); null before that and in plaintext.
        /// </summary>
        public byte[]? RemoteKey { get; private set; }

        /// <summary>Records the dialer's key, proven by its signature in the handshake (it presents no certificate in TLS).</summary>
        public void KeyProven(byte[] fingerprint) => RemoteKey = fingerprint;

        /// <summary>The TLS version and cipher, for the log; "none" in plaintext.</summary>
        public string Cipher { get; private set; } = "none";

        /// <summary>
        /// Starts the connection (<see cref="ConnectionStart"/>): the preambles, then TLS unless <paramref name="security"/>
        /// is plaintext. Runs before the writer loop starts and before any frame is read; the caller bounds it in time by
        /// closing the link. Throws <see cref="ConnectionStartException"/> saying why a connection cannot start.
        /// </summary>
        public async Task OpenAsync(LinkSecurity security, CancellationToken cancellationToken)
        {
            LinkChannel channel;
            try
            {
                channel = await ConnectionStart.OpenAsync(_stream, Direction, security, RemoteEndPoint, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _started, null)?.Invoke();
            }
            Encrypted = channel.Encrypted;
            RemoteKey = channel.RemoteKey;
            Cipher = channel.Cipher;
            if (!ReferenceEquals(channel.Stream, _stream))
            {
                _reader.Dispose(); // nothing was read through it: no frame has flowed yet
                _stream = channel.Stream;
                _reader = new FrameReader(_stream, _maxFrameSize);
            }
        }

        /// <summary>Has <paramref name="started"/> called once when <see cref="OpenAsync"/> has ended, whether the connection started or not.</summary>
        public void OnStarted(Action started) => _started = started;

        /// <summary>The endpoint this side dialed, for an outbound link.</summary>
        public ChatEndpoint? DialedEndpoint { get; }

        public IPEndPoint RemoteEndPoint { get; }

        /// <summary>Why the link closed, once it has.</summary>
        public Task<LinkClosure> Closed => _closed.Task;

        public bool IsClosed => Volatile.Read(ref _closeStarted) != 0;

        /// <summary>
        /// The closure of the first close, recorded before the socket goes: a read failing because of that
        /// close can tell why, where <see cref="Closed"/> may not have completed yet.
        /// </summary>
        public LinkClosure? Closure => Volatile.Read(ref _closure);

        /// <summary>The writer loop, once started: it ends when the link closes.</summary>
        public Task Writer => _writer;

        /// <summary>The time-provider timestamp of the last frame received.</summary>
        public long LastReceivedTimestamp => Interlocked.Read(ref _lastReceived);

        /// <summary>Who is at the other end, for the log, with the name the handshake learned if there is one.</summary>
        public string Describe(string? userName = null) => userName == null ? RemoteEndPoint.ToString() : $"{userName}@{RemoteEndPoint}";

        public void StartWriter() => _writer = RunWriterAsync();

        /// <summary>Queues a frame. Returns false when the link is closing, or closes it when its queue is full.</summary>
        public bool TrySend(byte[] frame)
        {
            // A link being drained for a graceful close takes nothing more; that is not the member's fault.
            if (IsClosed || Volatile.Read(ref _draining) != 0) return false;
            if (Interlocked.Add(ref _queuedBytes, frame.Length) > _maxQueuedBytes || !_outgoing.Writer.TryWrite(frame))
            {
                Interlocked.Add(ref _queuedBytes, -frame.Length);
                Close(new LinkClosure(LinkCloseKind.SlowConsumer,
                    $"its send queue reached its bound ({_outgoing.Reader.Count} frames, {Interlocked.Read(ref _queuedBytes)} bytes)"));
                return false;
            }
            return true;
        }

        /// <summary>Reads and decodes the next frame of the handshake, where no message may come; null at a clean end of stream.</summary>
        public async ValueTask<Frame?> ReadFrameAsync(CancellationToken cancellationToken)
        {
            if (!await _reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false)) return null;
            MarkReceived();
            return WireCodec.Decode(_reader.Current.Span, out _) ?? throw new WireProtocolException("a 'msg' frame came before the handshake ended");
        }

        /// <summary>
        /// The reader loop: hands every message to <paramref name="onMessage"/> and every other frame to
        /// <paramref name="onFrame"/> until the link ends, then closes it.
        /// </summary>
        public async Task RunReaderAsync(Action<Frame> onFrame, MessageHandler onMessage)
        {
            Volatile.Write(ref _readerRunning, 1);
            LinkClosure closure = LinkClosure.Lost;
            long marked = -1;
            try
            {
                while (true)
                {
                    if (!await _reader.ReadFrameAsync(_closing.Token).ConfigureAwait(false))
                    {
                        // After our own graceful close began, the other side ending its stream is the expected end, not a loss.
                        closure = Volatile.Read(ref _endedWith) ?? closure;
                        break;
                    }
                    // Received when its bytes came: the clock is read once per read from the stream, not once per frame.
                    if (_reader.Fills != marked)
                    {
                        marked = _reader.Fills;
                        MarkReceived();
                    }
                    var payload = _reader.Current.Span;
                    var frame = WireCodec.Decode(payload, out var message);
                    if (frame == null) onMessage(in message, payload);
                    else onFrame(frame);
                    if (IsClosed) return;
                }
            }
            catch (WireProtocolException e)
            {
                closure = new LinkClosure(LinkCloseKind.ProtocolViolation, e.Message);
            }
            catch (Exception) when (IsClosed)
            {
                return;
            }
            catch (Exception e) when (e is System.IO.IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
                closure = LinkClosure.Lost;
            }
            catch (Exception e)
            {
                // The fault barrier: whatever handling a frame throws ends this link, with the reason logged, and never
                // leaves it open and unread until the heartbeat timeout, nor reaches the rest of the session.
                closure = new LinkClosure(LinkCloseKind.ProtocolViolation,
                    "a frame could not be handled (" + e.GetType().Name + ": " + RemoteText.Printable(e.Message, 160) + ")");
            }
            finally
            {
                ReleaseReadBuffer();
            }
            Close(closure);
        }

        /// <summary>
        /// Sends what is queued, ends the stream, and closes once the other side has ended its own; all within
        /// <paramref name="drainTimeout"/>.
        /// </summary>
        public async Task CloseGracefullyAsync(string detail, TimeSpan drainTimeout)
        {
            var closure = LinkClosure.ByUs(detail);
            Volatile.Write(ref _draining, 1);
            _outgoing.Writer.TryComplete();
            var deadline = Task.Delay(drainTimeout);
            var drained = await Task.WhenAny(_writer, deadline).ConfigureAwait(false) == _writer;
            if (drained)
            {
                Volatile.Write(ref _endedWith, closure);
                try { _socket.Shutdown(SocketShutdown.Send); } catch (Exception e) when (e is SocketException || e is ObjectDisposedException) { }
                // Closing the socket now would reset the connection (the kernel resets a socket closed with unread input,
                // and .NET one closed with a read pending), and a reset throws away what still sits in our send buffer:
                // our last messages and the leave itself. So the reader goes on until the other side, having read all of
                // it, ends its stream too (it does as soon as it reads the leave or refusal); only then is the socket closed.
                if (Volatile.Read(ref _readerRunning) != 0) await Task.WhenAny(Closed, deadline).ConfigureAwait(false);
            }
            Close(closure);
        }

        /// <summary>Closes the link by this side's hand, saying why.</summary>
        public void Close(string detail, bool reset = false) => Close(LinkClosure.ByUs(detail), reset);

        /// <summary>Closes the link once; later calls do nothing. With <paramref name="reset"/> the peer sees a TCP reset.</summary>
        public void Close(LinkClosure closure, bool reset = false)
        {
            if (Interlocked.Exchange(ref _closeStarted, 1) != 0) return;
            Volatile.Write(ref _closure, closure);
            _outgoing.Writer.TryComplete();
            try
            {
                if (reset) _socket.LingerState = new LingerOption(true, 0);
                _closing.Cancel();
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException) { }
            _socket.Dispose();
            // A socket's stream has a finalizer: one left undisposed costs the finalizer thread (9,900 of them per 100-peer mesh).
            _network.Dispose();
            if (!ReferenceEquals(_stream, _network))
            {
                try { _stream.Dispose(); } catch (Exception e) when (e is System.IO.IOException || e is ObjectDisposedException || e is InvalidOperationException) { }
            }
            _closed.TrySetResult(closure);
        }

        /// <summary>
        /// Returns the read buffer to the pool. Call only where no read can be in flight (after the reader loop, or after a
        /// handshake that ended): a read still completing into a returned buffer would write into someone else's array.
        /// </summary>
        public void ReleaseReadBuffer() => _reader.Dispose();

        private void MarkReceived() => Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());

        private async Task RunWriterAsync()
        {
            var queue = _outgoing.Reader;
            using var batch = new FrameBatchWriter(_stream);
            try
            {
                while (await queue.WaitToReadAsync(_closing.Token).ConfigureAwait(false))
                {
                    while (queue.TryRead(out var frame))
                    {
                        long queuedBehind = Interlocked.Add(ref _queuedBytes, -frame.Length);
                        await batch.AppendAsync(frame, queuedBehind, _closing.Token).ConfigureAwait(false);
                    }
                    await batch.FlushAsync(_closing.Token).ConfigureAwait(false);
                }
            }
            catch (Exception) when (IsClosed)
            {
            }
            catch (Exception e) when (e is System.IO.IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
                Close(LinkClosure.Lost);
            }
        }
    }
}
