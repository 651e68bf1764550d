using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>Sessions a test starts on loopback with free ports; disposing stops every one of them.</summary>
    public sealed class SessionSet : IAsyncDisposable
    {
        private readonly List<ChatSession> _sessions = new List<ChatSession>();

        public IReadOnlyList<ChatSession> All => _sessions;

        public ChatSession Start(string userName, Action<ChatSessionOptions>? configure = null)
        {
            var options = new ChatSessionOptions
            {
                UserName = userName,
                Port = 0,
                ListenAddress = IPAddress.Loopback,
                InboxCapacity = 100_000,
                // A generous deadline: a TLS handshake on a loaded 2-core machine may take seconds of real time, and the
                // tests of the deadline itself set their own, on a fake clock.
                HandshakeTimeout = TimeSpan.FromSeconds(30),
            };
            configure?.Invoke(options);
            var session = ChatSession.Start(options);
            _sessions.Add(session);
            return session;
        }

        public static ChatEndpoint EndpointOf(ChatSession session) => new ChatEndpoint("127.0.0.1", session.Port);

        /// <summary>Every entry of a kind now in the session's inbox, removed from it.</summary>
        public static List<ChatMessage> Take(ChatSession session, ChatMessageKind kind) =>
            session.Inbox.Take(m => m.Kind == kind).ToList();

        /// <summary>
        /// The entries of a kind taken from the session's inbox until at least <paramref name="count"/> have come. A member
        /// enters or leaves the peer list a moment before its Joined or Left reaches the inbox (the notice follows the
        /// change), so a test that waited for the list waits for the notice as well.
        /// </summary>
        public static async Task<List<ChatMessage>> TakeAtLeastAsync(ChatSession session, ChatMessageKind kind, int count, string what)
        {
            var taken = new List<ChatMessage>();
            await Eventually.True(() =>
            {
                taken.AddRange(Take(session, kind));
                return taken.Count >= count;
            }, what);
            return taken;
        }

        public async ValueTask DisposeAsync()
        {
            await Task.WhenAll(_sessions.Select(s => s.StopAsync()));
        }
    }
}
