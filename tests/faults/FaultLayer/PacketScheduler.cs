using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace PSGroupChat.Faults;

/// <summary>Holds packets until their due time, then writes them to the TUN device from one writer thread.</summary>
internal sealed class PacketScheduler
{
    private readonly TunDevice device;
    private readonly PriorityQueue<byte[], (long Due, long Order)> waiting = new();
    private readonly object gate = new();
    private long order; // ties keep arrival order, so a constant delay never reorders

    public PacketScheduler(TunDevice device) => this.device = device;

    /// <summary>Queues a copy of the packet to leave after <paramref name="delayMs"/>.</summary>
    public void Schedule(byte[] packet, int length, double delayMs)
    {
        var copy = packet.AsSpan(0, length).ToArray();
        var due = Stopwatch.GetTimestamp() + (long)(Math.Max(0, delayMs) * Stopwatch.Frequency / 1000);
        lock (gate)
        {
            waiting.Enqueue(copy, (due, order++));
            Monitor.Pulse(gate);
        }
    }

    /// <summary>Writes due packets until the process ends.</summary>
    public void Run()
    {
        while (true)
        {
            byte[] packet;
            lock (gate)
            {
                while (true)
                {
                    if (waiting.TryPeek(out _, out var key))
                    {
                        var wait = key.Due - Stopwatch.GetTimestamp();
                        if (wait <= 0) break;
                        Monitor.Wait(gate, TimeSpan.FromMilliseconds(Math.Max(1, wait * 1000.0 / Stopwatch.Frequency)));
                    }
                    else Monitor.Wait(gate);
                }
                packet = waiting.Dequeue();
            }
            device.Write(packet, packet.Length);
        }
    }
}
