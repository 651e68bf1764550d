using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>
    /// Moves a fake clock shared by several sessions one heartbeat at a time, waiting after each step until every link
    /// that was alive before it has read the other side's heartbeat of that step: a frame read late would count as a sign
    /// of life at a later fake time, and a busy machine must not make the fake clock outrun the network.
    /// </summary>
    public static class FakeClockSteps
    {
        /// <param name="silent">Links known to hear nothing (behind a frozen proxy): not waited for.</param>
        public static async Task StepAsync(FakeTimeProvider clock, IReadOnlyList<ChatSession> sessions, Func<ChatSession, ChatPeer, bool>? silent = null)
        {
            var before = clock.GetUtcNow();
            var alive = sessions.SelectMany(s => s.GetPeers().Where(p => p.State == PeerState.Connected && p.LastSeen == before && silent?.Invoke(s, p) != true)
                .Select(p => (Session: s, p.PeerId))).ToList();
            clock.Advance(TimeSpan.FromSeconds(1));
            var now = clock.GetUtcNow();
            await Eventually.True(() => alive.All(a =>
            {
                var peer = a.Session.GetPeers().FirstOrDefault(p => p.PeerId == a.PeerId && p.State == PeerState.Connected);
                return peer == null || peer.LastSeen == now; // gone (closed) or heard from at this step
            }), "this step's heartbeats read");
        }

        /// <summary>Steps until <paramref name="condition"/> holds, at most <paramref name="maxSteps"/> steps.</summary>
        public static async Task UntilAsync(FakeTimeProvider clock, IReadOnlyList<ChatSession> sessions, Func<bool> condition, string what,
            int maxSteps = 120, Func<ChatSession, ChatPeer, bool>? silent = null)
        {
            for (int i = 0; i < maxSteps; i++)
            {
                if (condition()) return;
                await StepAsync(clock, sessions, silent);
                // What a step set off (a digest answered, a re-dial) may take a moment of real time to land.
                for (int spin = 0; spin < 5 && !condition(); spin++) await Task.Yield();
            }
            await Eventually.True(condition, what, TimeSpan.FromSeconds(10));
        }
    }
}
