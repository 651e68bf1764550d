using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using PSGroupChat.Protocol;
using PSGroupChat.Transport;
using Xunit;

namespace PSGroupChat.Tests.Transport
{
    public class ReaderFaultBarrierTests
    {
        [Fact]
        public async Task AFrameHandlerThatThrowsClosesTheLinkWithTheReasonInsteadOfKillingTheLoopSilently()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            using var server = await listener.AcceptSocketAsync();

            var options = new ChatSessionOptions();
            var link = new PeerLink(server, PeerDirection.Inbound, null, new LinkOptions(options.MaxFrameSize, options.SendQueueCapacity, options.SendQueueBytes, options.TimeProvider));
            var reader = link.RunReaderAsync(_ => throw new ArgumentOutOfRangeException("at", "a handler bug"), (in MessageFrame _, ReadOnlySpan<byte> _) => throw new InvalidOperationException("no message was sent"));
            await client.SendAsync(WireCodec.EncodePing(), SocketFlags.None);

            var finished = await Task.WhenAny(link.Closed, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.Same(link.Closed, finished);
            var closure = await link.Closed;
            Assert.Equal(LinkCloseKind.ProtocolViolation, closure.Kind);
            Assert.StartsWith("protocol violation: a frame could not be handled (ArgumentOutOfRangeException", closure.ToString());
            await reader; // the loop itself ended cleanly
        }
    }
}
