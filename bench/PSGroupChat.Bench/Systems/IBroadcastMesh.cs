using System;
using System.Collections.Generic;
using PSGroupChat.Bench.Support;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// Peers on loopback, one of which (peer 0) broadcasts to all the others: the shape every throughput figure shares,
    /// whatever carries the bytes.
    /// </summary>
    internal interface IBroadcastMesh : IDisposable
    {
        /// <summary>The name in the table's System column.</summary>
        string Name { get; }

        /// <summary>The payload of every message, in bytes.</summary>
        int PayloadBytes { get; }

        /// <summary>One counter per receiving peer, counting since the mesh formed.</summary>
        IReadOnlyList<DeliveryCounter> Receivers { get; }

        /// <summary>Sends <paramref name="count"/> messages from peer 0 to every other peer, as fast as it can.</summary>
        void SendBurst(int count);
    }

    /// <summary>A mesh that can time single messages one way, from before the send call to the receiver's hand-over.</summary>
    internal interface ILatencyMesh : IBroadcastMesh
    {
        /// <summary>Starts recording arrivals into <paramref name="recorder"/>; message indexes count from 0.</summary>
        void BeginLatencyRun(LatencyRecorder recorder);

        /// <summary>Sends message <paramref name="index"/> of the run to every receiver.</summary>
        void SendTimed(int index);

        void EndLatencyRun();
    }
}
