using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using PSGroupChat.Logging;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Starts a chat peer: listens on a TCP port and joins the chat through the given members.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "ChatPeer")]
    [OutputType(typeof(ChatSession))]
    public sealed class StartChatPeerCommand : ChatCommand
    {
        /// <summary>The user name, unique in the chat.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateUserName]
        public string UserName { get; set; } = string.Empty;

        /// <summary>The port to listen on; 0 (the default) picks a free one.</summary>
        [Parameter(Position = 1)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>Members to join through, as host:port. One is enough: the rest of the chat is learned from it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Peer { get; set; }

        /// <summary>A room to announce on the LAN (multicast DNS) and join every session announcing the same room of.</summary>
        [Parameter]
        [ValidateRoomName]
        [ArgumentCompleter(typeof(RoomNameCompleter))]
        public string? Room { get; set; }

        /// <summary>The address to listen on; by default every address (IPv4 and IPv6).</summary>
        [Parameter]
        public IPAddress? ListenAddress { get; set; }

        /// <summary>Seconds between heartbeats on each link (default 1).</summary>
        [Parameter]
        [ValidateRange(0.01, 3600)]
        public double HeartbeatInterval { get; set; } = ChatSessionOptions.DefaultHeartbeatInterval.TotalSeconds;

        /// <summary>Seconds of silence after which a member is reported as left with reason "timeout" (default 5).</summary>
        [Parameter]
        [ValidateRange(0.02, 86400)]
        public double PeerTimeout { get; set; } = ChatSessionOptions.DefaultPeerTimeout.TotalSeconds;

        /// <summary>How many received entries the inbox keeps before it drops the oldest (default 10,000).</summary>
        [Parameter]
        [ValidateRange(1, 10_000_000)]
        public int InboxCapacity { get; set; } = ChatSessionOptions.DefaultInboxCapacity;

        /// <summary>A file to write the session's JSON-lines event log to (appended).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LogPath { get; set; }

        /// <summary>The chat's shared secret: only peers holding it become members. It authenticates; it does not encrypt.</summary>
        [Parameter]
        public SecureString? SharedSecret { get; set; }

        /// <summary>Starts the session and joins through -Peer.</summary>
        protected override void EndProcessing()
        {
            var pipelineLog = new PipelineLog();
            var factory = LoggerFactory.Create(builder =>
            {
                builder.SetMinimumLevel(LogLevel.Trace);
                builder.AddProvider(pipelineLog);
                if (LogPath != null) builder.AddProvider(new JsonLinesLoggerProvider(GetUnresolvedProviderPathFromPSPath(LogPath), UserName));
            });
            var options = new ChatSessionOptions
            {
                UserName = UserName,
                Port = Port,
                ListenAddress = ListenAddress ?? IPAddress.IPv6Any,
                HeartbeatInterval = TimeSpan.FromSeconds(HeartbeatInterval),
                PeerTimeout = TimeSpan.FromSeconds(PeerTimeout),
                InboxCapacity = InboxCapacity,
                SharedSecret = SecretBytes(SharedSecret),
                LoggerFactory = factory,
                Room = Room,
            };

            ChatSession session;
            try
            {
                session = ChatSession.Start(options);
            }
            catch (ChatException e)
            {
                factory.Dispose();
                ThrowTerminatingError(ChatErrors.From(e, e.Code == ChatErrorCode.PortInUse ? (object)Port : UserName));
                return;
            }
            SessionRegistry.Add(session, pipelineLog);
            ListenTo(session);
            WriteQueuedLog();
            if (session.Presence?.Unavailable is string offLan) WriteWarning(offLan); // -Room without multicast (issue 17)

            if (Peer != null && !Join(session)) return;
            WriteObject(session);
            base.EndProcessing();
        }

        /// <summary>Dials every -Peer at once; reports each failure; returns false when the session had to stop.</summary>
        private bool Join(ChatSession session)
        {
            var dials = new List<(string Text, Task<ChatPeer>? Dial)>();
            foreach (var text in Peer!)
            {
                try { dials.Add((text, session.ConnectAsync(ChatEndpoint.Parse(text)))); }
                catch (FormatException e)
                {
                    WriteError(ChatErrors.MalformedEndpoint(text, e));
                    dials.Add((text, null));
                }
            }
            foreach (var (text, dial) in dials.Where(d => d.Dial != null))
            {
                try
                {
                    Await(dial!);
                }
                catch (ChatException e) when (e.Code == ChatErrorCode.UserNameTaken)
                {
                    // The name belongs to someone else in this chat: this session cannot join it at all.
                    session.StopAsync("user name taken").GetAwaiter().GetResult();
                    WriteQueuedLog();
                    WriteError(ChatErrors.From(e, UserName));
                    return false;
                }
                catch (ChatException e)
                {
                    WriteError(ChatErrors.From(e, text));
                }
                WriteQueuedLog();
            }
            return true;
        }

        private static byte[]? SecretBytes(SecureString? secret)
        {
            if (secret == null || secret.Length == 0) return null;
            IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
            try
            {
                return Encoding.UTF8.GetBytes(Marshal.PtrToStringUni(unmanaged) ?? string.Empty);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }
    }
}
