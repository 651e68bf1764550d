using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Transport
{
    /// <summary>
    /// A member that leaves while messages are still arriving at it must still deliver everything it sent before it
    /// left, and be reported as having left gracefully (the Churn simulation found both broken).
    /// </summary>
    public class GracefulLeaveUnderTrafficTests
    {
        private const int Trials = 30;
        private const int LastWords = 50;

        [Fact]
        public async Task LeavingWhileMessagesArriveDeliversTheLastMessagesAndIsReportedAsGraceful()
        {
            var failures = new System.Collections.Generic.List<string>();
            for (int trial = 1; trial <= Trials; trial++)
            {
                using var stayer = ChatSession.Start(new ChatSessionOptions { UserName = "stayer", ListenAddress = IPAddress.Loopback });
                using var leaver = ChatSession.Start(new ChatSessionOptions { UserName = "leaver", ListenAddress = IPAddress.Loopback });
                await leaver.ConnectAsync(new ChatEndpoint("127.0.0.1", stayer.Port));
                await Eventually.True(() => stayer.PeerCount == 1, "the stayer links to the leaver");

                // The stayer keeps writing to the leaver until it is told the leaver has gone.
                using var quiet = new CancellationTokenSource();
                var chatter = Task.Run(async () =>
                {
                    while (!quiet.IsCancellationRequested && stayer.PeerCount > 0)
                    {
                        for (int i = 0; i < 5; i++) stayer.Send("still talking");
                        await Task.Delay(1);
                    }
                });
                await Eventually.True(() => leaver.MessagesReceived > 20, "the chatter reaches the leaver");

                for (int i = 1; i <= LastWords; i++) leaver.Send($"last words #{i} " + new string('x', 16_000));
                await leaver.StopAsync("bye");
                // The leaver leaves the stayer's peer list a moment before its Left reaches the inbox: wait for both.
                var entries = new System.Collections.Generic.List<ChatMessage>();
                await Eventually.True(() =>
                {
                    entries.AddRange(stayer.Inbox.Take());
                    return stayer.PeerCount == 0 && entries.Any(m => m.Kind == ChatMessageKind.Left);
                }, "the stayer is told of the leave");
                quiet.Cancel();
                await chatter;
                entries.AddRange(stayer.Inbox.Take());

                int lastWords = entries.Count(m => m.Kind == ChatMessageKind.Message && m.Sender == "leaver");
                var left = entries.Where(m => m.Kind == ChatMessageKind.Left).ToList();
                if (lastWords != LastWords || left.Count != 1 || left[0].Reason != LeaveReason.Graceful || left[0].Text != "bye")
                {
                    failures.Add($"trial {trial}: {lastWords} of {LastWords} last messages arrived; notices: " +
                        string.Join(", ", left.Select(m => $"{m.Reason} '{m.Text}'")));
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
    }
}
