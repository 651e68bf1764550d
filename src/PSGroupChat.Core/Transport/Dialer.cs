using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Transport
{
    /// <summary>Opens an outbound TCP connection: resolves the host, then tries its addresses in turn.</summary>
    internal static class Dialer
    {
        /// <summary>
        /// Connects within <paramref name="timeout"/> per address. Throws <see cref="DialFailedException"/> saying why
        /// when no address answers, and <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> fires.
        /// </summary>
        public static async Task<Socket> ConnectAsync(ChatEndpoint endpoint, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
        {
            IPAddress[] addresses;
            try
            {
                addresses = IPAddress.TryParse(endpoint.Host, out var literal)
                    ? new[] { literal }
                    : await WithCancellation(Dns.GetHostAddressesAsync(endpoint.Host), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new DialFailedException($"the host name '{endpoint.Host}' does not resolve ({e.Message})", e);
            }

            Exception? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                using var deadline = time.CreateCancellationTokenSource(timeout);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
                using (linked.Token.Register(socket.Dispose))
                {
                    try
                    {
                        await socket.ConnectAsync(address, endpoint.Port).ConfigureAwait(false);
                        cancellationToken.ThrowIfCancellationRequested();
                        return socket;
                    }
                    catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
                    {
                        socket.Dispose();
                        cancellationToken.ThrowIfCancellationRequested();
                        last = deadline.IsCancellationRequested ? new TimeoutException($"no answer within {timeout.TotalSeconds:0.#} s") : e;
                    }
                    catch (OperationCanceledException)
                    {
                        socket.Dispose();
                        throw;
                    }
                }
            }
            throw new DialFailedException(last?.Message ?? "the host has no address", last);
        }

        // netstandard2.0's DNS lookup takes no token: stop waiting for it instead.
        private static async Task<T> WithCancellation<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled) return await task.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    _ = task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // observe its fault; nothing else waits for it
                    throw new OperationCanceledException(cancellationToken);
                }
            }
            return await task.ConfigureAwait(false);
        }
    }
}
