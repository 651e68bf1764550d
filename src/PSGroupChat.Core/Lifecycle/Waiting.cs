using System;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Lifecycle
{
    /// <summary>Waiting for a task until a token says to stop waiting (netstandard2.0 has no Task.WaitAsync).</summary>
    internal static class Waiting
    {
        /// <summary>Completes with <paramref name="task"/>, or throws <see cref="OperationCanceledException"/> when the token fires first.</summary>
        public static async Task UntilAsync(Task task, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || task.IsCompleted)
            {
                await task.ConfigureAwait(false);
                return;
            }
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var cancelled = Task.Delay(Timeout.Infinite, waiting.Token);
            if (await Task.WhenAny(task, cancelled).ConfigureAwait(false) != task) throw new OperationCanceledException(cancellationToken);
            waiting.Cancel(); // ends the delay, and its registration on the caller's token
            await task.ConfigureAwait(false);
        }
    }
}
