using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using PSGroupChat.Delivery;
using PSGroupChat.Tests.Hardening;
using Xunit;

namespace PSGroupChat.Tests.Delivery
{
    /// <summary>
    /// The inbox's rings against the plainest model of what it promises: two bounded lists in arrival order, the oldest
    /// received entry dropped (and counted) when full, filtered takes leaving the rest queued in order.
    /// </summary>
    public class ChatInboxProperties
    {
        private abstract record Step;
        private sealed record AddStep(bool Own) : Step;
        private sealed record TakeStep(int? KeepModulo, bool IncludeOwn, int Max) : Step;

        private static readonly Gen<Step> Steps = Gen.Frequency(
            (6, Gen.Bool.Select(own => (Step)new AddStep(own))),
            (1, from modulo in Gen.Int[1, 4].Select(m => m == 1 ? (int?)null : m)
                from own in Gen.Bool
                from max in Gen.OneOf(Gen.Const(int.MaxValue), Gen.Int[0, 10])
                select (Step)new TakeStep(modulo, own, max)));

        [Fact]
        public void TheRingsBehaveAsTwoBoundedListsInArrivalOrder()
        {
            var gen = from capacity in Gen.OneOf(Gen.Int[1, 5], Gen.Int[60, 140])
                      from steps in Steps.Array[1, 400]
                      select (capacity, steps);
            Property.Check(gen, c =>
            {
                var inbox = new ChatInbox(c.capacity);
                var received = new List<ChatMessage>();
                var own = new List<ChatMessage>();
                long dropped = 0, sequence = 0;
                var arrival = new Dictionary<ChatMessage, long>();
                foreach (var step in c.steps)
                {
                    if (step is AddStep add)
                    {
                        var message = new ChatMessage(ChatMessageKind.Message, "me", add.Own ? "me" : "you", "id", "t") { Sequence = ++sequence, IsOwn = add.Own };
                        arrival[message] = sequence;
                        inbox.Add(message);
                        var list = add.Own ? own : received;
                        list.Add(message);
                        if (list.Count > c.capacity)
                        {
                            list.RemoveAt(0);
                            if (!add.Own) dropped++;
                        }
                    }
                    else if (step is TakeStep take)
                    {
                        Func<ChatMessage, bool>? filter = take.KeepModulo == null ? null : m => m.Sequence % take.KeepModulo.Value != 0;
                        var expected = received.Concat(take.IncludeOwn ? own : Enumerable.Empty<ChatMessage>())
                            .OrderBy(m => arrival[m]).Where(m => filter == null || filter(m)).Take(take.Max).ToList();
                        var actual = inbox.Take(filter, take.IncludeOwn, take.Max);
                        Assert.Equal(expected.Select(m => m.Sequence), actual.Select(m => m.Sequence));
                        received.RemoveAll(expected.Contains);
                        own.RemoveAll(expected.Contains);
                    }
                    Assert.Equal(received.Count, inbox.Count);
                    Assert.Equal(dropped, inbox.Dropped);
                }
                // What stays is what the model says, in order.
                Assert.Equal(received.Concat(own).OrderBy(m => arrival[m]).Select(m => m.Sequence), inbox.Take(includeOwn: true).Select(m => m.Sequence));
            }, cases: 1500, stream: 30, print: c => $"capacity {c.capacity}: {string.Join(" ", c.steps.Select(s => s.ToString()))}");
        }
    }
}
