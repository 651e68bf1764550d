using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Engine
{
    public class ChurnTests
    {
        private const int Stable = 5;
        private const int PerSender = 1000;

        [Fact]
        public async Task StablePeersLoseNothingWhileOthersJoinAndLeave()
        {
            await using var set = new SessionSet();
            var stable = Enumerable.Range(0, Stable).Select(i => set.Start("stable" + i)).ToList();
            await Task.WhenAll(stable.Skip(1).Select(s => s.ConnectAsync(SessionSet.EndpointOf(stable[0]))));
            await Eventually.True(() => stable.All(s => s.PeerCount == Stable - 1), "the stable mesh");

            using var stop = new CancellationTokenSource();
            int cycles = 0;
            var churn = Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
            {
                for (int round = 0; !stop.IsCancellationRequested || round < 3; round++)
                {
                    var churner = ChatSession.Start(new ChatSessionOptions { UserName = $"churn{c}-{round}", ListenAddress = System.Net.IPAddress.Loopback });
                    var through = stable[(c + round) % Stable];
                    await churner.ConnectAsync(SessionSet.EndpointOf(through));
                    // The churner is a member once the peer it joined through lists it, not merely once its own side does.
                    await Eventually.True(() => through.GetPeers().Any(p => p.PeerId == churner.PeerId && p.State == PeerState.Connected),
                        $"{churner.UserName} joined {through.UserName}");
                    churner.Send("passing through");
                    if (round % 2 == 0) await churner.StopAsync("bye");
                    else churner.Abort();
                    Interlocked.Increment(ref cycles);
                }
            })).ToList();

            var senders = stable.Select(s => Task.Run(async () =>
            {
                for (int i = 1; i <= PerSender; i++)
                {
                    s.Send($"{s.UserName} {i}");
                    // Spread the traffic over the churn: every hundred messages, wait for another join-and-leave.
                    if (i % 100 == 0)
                    {
                        int target = i / 100;
                        await Eventually.True(() => Volatile.Read(ref cycles) >= target, $"churn cycle {target}");
                    }
                }
            })).ToList();
            await Task.WhenAll(senders);
            await Eventually.True(() => stable.All(s => s.MessagesReceived >= (Stable - 1) * PerSender), "every stable message delivered", System.TimeSpan.FromSeconds(60));
            stop.Cancel();
            await Task.WhenAll(churn);
            Assert.True(cycles >= PerSender / 100, $"churners joined and left {cycles} times");

            // Let the last departures reach everyone before counting notices.
            await Eventually.True(() => stable.All(s => s.GetPeers().All(p => p.State != PeerState.Connected || p.UserName.StartsWith("stable"))), "the churners gone");

            int churnDepartures = 0;
            foreach (var receiver in stable)
            {
                var entries = receiver.Inbox.Take().ToList();
                foreach (var sender in stable.Where(s => s != receiver))
                {
                    var texts = entries.Where(m => m.Kind == ChatMessageKind.Message && m.Sender == sender.UserName).Select(m => m.Text).ToList();
                    Assert.Equal(Enumerable.Range(1, PerSender).Select(i => $"{sender.UserName} {i}"), texts);
                }
                Assert.DoesNotContain(entries, m => m.Kind == ChatMessageKind.Left && m.Sender.StartsWith("stable"));
                Assert.Equal(Stable - 1, receiver.GetPeers().Count(p => p.State == PeerState.Connected));

                // Every churner this peer saw join, it saw leave exactly once, after the join; no leave without a join.
                foreach (var churner in entries.Where(m => m.Kind != ChatMessageKind.Message && m.Sender.StartsWith("churn")).GroupBy(m => m.SenderId))
                {
                    var kinds = churner.Select(m => m.Kind).ToList();
                    Assert.True(kinds.SequenceEqual(new[] { ChatMessageKind.Joined, ChatMessageKind.Left }),
                        $"{receiver.UserName} saw {churner.First().Sender}: {string.Join(", ", kinds)}");
                    churnDepartures++;
                }
            }
            // The churners really were members while the traffic flowed: each was seen joining and leaving at least once.
            Assert.True(churnDepartures >= cycles, $"stable peers saw {churnDepartures} churner departures for {cycles} churner visits");
        }
    }
}
