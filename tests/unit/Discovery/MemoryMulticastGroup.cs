using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using PSGroupChat.Discovery;

namespace PSGroupChat.Tests.Discovery
{
    /// <summary>
    /// A multicast group in memory: every datagram sent reaches every member, the sender included (as multicast loopback
    /// does), and is recorded in <see cref="Sent"/>. No socket, so these tests never put a packet on a real network.
    /// </summary>
    internal sealed class MemoryMulticastGroup
    {
        private readonly object _gate = new object();
        private readonly List<Member> _members = new List<Member>();

        /// <summary>Every datagram sent so far, in order, with its sender.</summary>
        public List<(IPEndPoint From, byte[] Bytes)> Sent { get; } = new List<(IPEndPoint, byte[])>();

        /// <summary>A new member of the group, sending from <paramref name="address"/>.</summary>
        public IMulticastLink Join(string address)
        {
            var member = new Member(this, new IPEndPoint(IPAddress.Parse(address), 5353));
            lock (_gate) _members.Add(member);
            return member;
        }

        /// <summary>Puts <paramref name="bytes"/> on the group as if <paramref name="from"/> had sent it.</summary>
        public void Send(IPEndPoint from, byte[] bytes)
        {
            Member[] members;
            lock (_gate)
            {
                Sent.Add((from, bytes));
                members = _members.ToArray();
            }
            foreach (var member in members) member.Inbox.Writer.TryWrite(new MulticastDatagram(bytes, from));
        }

        /// <summary>The datagrams sent so far, decoded.</summary>
        public List<DnsMessage> Messages()
        {
            lock (_gate) return Sent.ConvertAll(s => DnsMessageReader.Read(s.Bytes));
        }

        private sealed class Member : IMulticastLink
        {
            private readonly MemoryMulticastGroup _group;
            private readonly IPEndPoint _address;

            public Member(MemoryMulticastGroup group, IPEndPoint address)
            {
                _group = group;
                _address = address;
            }

            public IReadOnlyList<IPAddress> Interfaces => new[] { _address.Address };

            public Channel<MulticastDatagram> Inbox { get; } = Channel.CreateUnbounded<MulticastDatagram>();

            public Task SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
            {
                _group.Send(_address, datagram.ToArray());
                return Task.CompletedTask;
            }

            public async Task<MulticastDatagram> ReceiveAsync(CancellationToken cancellationToken) =>
                await Inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);

            public ValueTask DisposeAsync()
            {
                lock (_group._gate) _group._members.Remove(this);
                return default;
            }
        }
    }
}
