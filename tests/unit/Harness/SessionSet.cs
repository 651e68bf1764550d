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

        public async ValueTask DisposeAsync()
        {
            await Task.WhenAll(_sessions.Select(s => s.StopAsync()));
        }
    }
}
