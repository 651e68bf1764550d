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
        [ArgumentCompleter(typeof(EndpointCompleter))]
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

        /// <summary>Seconds of silence after which a member is reported as left with reason "timeout" (default 15).</summary>
        [Parameter]
        [ValidateRange(0.02, 86400)]
        public double PeerTimeout { get; set; } = ChatSessionOptions.DefaultPeerTimeout.TotalSeconds;

        /// <summary>
        /// Asks the first member this session links to for recent history: a count (that many messages per sender) or a
        /// time span (what was sent within it). Replayed messages have IsHistory set, in each sender's order, once each.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public object? History { get; set; }

        /// <summary>How many received entries the inbox keeps before it drops the oldest (default 10,000).</summary>
        [Parameter]
        [ValidateRange(1, 10_000_000)]
        public int InboxCapacity { get; set; } = ChatSessionOptions.DefaultInboxCapacity;

        /// <summary>A file to write the session's JSON-lines event log to (appended).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LogPath { get; set; }

        /// <summary>
        /// The chat's shared secret: only peers holding it become members. Its proof is bound to the TLS keys of both sides,
        /// so a relay in the middle is refused too. New-ChatSecret makes a strong one.
        /// </summary>
        [Parameter]
        public SecureString? SharedSecret { get; set; }

        /// <summary>
        /// The identity key file (or its folder) that proves this user to the members; made there, owner-only, when there is none. By default
        /// the per-user one: $XDG_CONFIG_HOME/PSGroupChat/identity.key (~/.config/...) on Unix, %APPDATA%\PSGroupChat on Windows.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Identity { get; set; }

        /// <summary>Closes the chat to these key fingerprints (SHA256:..., as Get-ChatPeer and Get-ChatSession show): no other key becomes a member.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? TrustedPeer { get; set; }

        /// <summary>
        /// Members whose recorded key to forget before starting, so that the new key they now present is accepted (and
        /// recorded) as at first sight. Use it only once you know the member really has a new identity.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? AcceptNewKey { get; set; }

        /// <summary>
        /// Runs without TLS: everything, names and messages included, crosses the network in clear and can be read and
        /// altered on the way. Only peers that run -Plaintext too can join. For old or constrained peers and for debugging.
        /// </summary>
        [Parameter]
        public SwitchParameter Plaintext { get; set; }

        /// <summary>
        /// Checks -LogPath and -Peer, starts the session and joins through -Peer. A session that joins no one, loses its
        /// name to a member, or meets Ctrl+C while dialing is stopped and forgotten, so its port is free for a retry.
        /// </summary>
        protected override void EndChatProcessing()
        {
            string? logFile = null;
            if (LogPath != null)
            {
                logFile = GetUnresolvedProviderPathFromPSPath(LogPath);
                var problem = LogFileCheck.Problem(logFile, LogPath);
                if (problem != null) ThrowTerminatingError(problem);
            }
            var dialer = new MemberDialer(this);
            var endpoints = dialer.Parse(Peer ?? Array.Empty<string>(), out bool allValid);
            if (!allValid) return; // each bad endpoint was reported; nothing was started

            var pipelineLog = new PipelineLog();
            var factory = LoggerFactory.Create(builder =>
            {
                builder.SetMinimumLevel(LogLevel.Trace);
                builder.AddProvider(pipelineLog);
                if (logFile != null) builder.AddProvider(new JsonLinesLoggerProvider(logFile, UserName));
            });
            if (SharedSecret != null && SecretCheck.Weakness(SharedSecret) is string weak) WriteWarning(weak);
            if (Plaintext) WriteWarning("-Plaintext: this session's links are not encrypted. Names, member addresses and every message cross the network in clear, and only peers that also run -Plaintext can join.");
            var session = StartSession(factory);
            SessionRegistry.Add(session, pipelineLog);
            ListenTo(session);
            if (session.Presence?.Unavailable is string offLan) WriteWarning(offLan); // -Room without multicast: the chat still works by address

            if (endpoints.Count > 0 && !Join(session, dialer, endpoints)) return;
            WriteObject(session);
        }

        private ChatSession StartSession(ILoggerFactory factory)
        {
            Security.ChatIdentity? identity = null;
            Security.KnownPeers? knownPeers = null;
            try
            {
                if (!Plaintext)
                {
                    string path = Identity == null ? Security.ChatIdentity.DefaultPath : GetUnresolvedProviderPathFromPSPath(Identity);
                    identity = Security.ChatIdentity.LoadOrCreate(path);
                    knownPeers = Security.KnownPeers.Beside(identity.Path!);
                    foreach (var name in AcceptNewKey ?? Array.Empty<string>())
                    {
                        if (knownPeers.Forget(name)) WriteVerbose($"Forgot the key recorded for '{name}' in {knownPeers.Path}: the next key it presents is recorded as at first sight.");
                        else WriteWarning($"-AcceptNewKey: no key is recorded for '{name}' in {knownPeers.Path}.");
                    }
                }
            }
            catch (ChatException e)
            {
                factory.Dispose();
                ThrowTerminatingError(ChatErrors.From(e));
            }
            var options = new ChatSessionOptions
            {
                UserName = UserName,
                Port = Port,
                ListenAddress = ListenAddress ?? IPAddress.IPv6Any,
                HeartbeatInterval = TimeSpan.FromSeconds(HeartbeatInterval),
                PeerTimeout = TimeSpan.FromSeconds(PeerTimeout),
                InboxCapacity = InboxCapacity,
                SharedSecret = SecretBytes(SharedSecret),
                Identity = identity,
                KnownPeers = knownPeers,
                TrustedPeers = TrustedPeer,
                Plaintext = Plaintext,
                LoggerFactory = factory,
                Room = Room,
            };
            SetHistory(options);
            try
            {
                return ChatSession.Start(options);
            }
            catch (ChatException e)
            {
                factory.Dispose();
                ThrowTerminatingError(ChatErrors.From(e));
            }
            throw new InvalidOperationException("unreachable: ThrowTerminatingError throws");
        }

        /// <summary>-History as a count of messages per sender, or a time span.</summary>
        private void SetHistory(ChatSessionOptions options)
        {
            if (History == null) return;
            object value = History is PSObject wrapped ? wrapped.BaseObject : History;
            switch (value)
            {
                case int count when count > 0: options.HistoryCount = count; return;
                case long count when count > 0 && count <= int.MaxValue: options.HistoryCount = (int)count; return;
                case TimeSpan span when span > TimeSpan.Zero: options.HistorySpan = span; return;
                case string text when TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero:
                    options.HistorySpan = parsed; return;
            }
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-History takes a positive count of messages per sender (for example 50) or a time span (for example (New-TimeSpan -Minutes 10)); '{value}' is neither."),
                "InvalidHistory", ErrorCategory.InvalidArgument, History));
        }

        /// <summary>Dials every -Peer at once; returns false when the session was stopped and forgotten instead.</summary>
        private bool Join(ChatSession session, MemberDialer dialer, IReadOnlyList<ChatEndpoint> endpoints)
        {
            DialOutcome outcome;
            try
            {
                dialer.Start(session, endpoints, PipelineStopping);
                outcome = dialer.Report(writeMembers: false, holdFailures: true);
            }
            catch
            {
                // Ctrl+C, or anything else that ends the cmdlet mid-dial: the session must not outlive it.
                Discard(session, "cancelled");
                throw;
            }
            bool keep = outcome.NameTaken == null && outcome.Linked.Count > 0;
            if (!keep) Discard(session, outcome.NameTaken != null ? "user name taken" : "joined no one");
            foreach (var failure in outcome.Failures)
            {
                if (outcome.NameTaken == null && !keep)
                {
                    failure.ErrorDetails.RecommendedAction += $" '{UserName}' joined no one, so the session was stopped and port {session.Port} is free again: run Start-ChatPeer again once the endpoint is fixed, or without -Peer to let the others dial you.";
                }
                WriteError(failure);
            }
            // The name belongs to someone else in this chat: this session cannot join it at all.
            if (outcome.NameTaken != null) WriteError(ChatErrors.From(outcome.NameTaken, UserName));
            return keep;
        }

        /// <summary>Stops a session that never joined, and forgets it, so it leaves no row in Get-ChatSession.</summary>
        private static void Discard(ChatSession session, string reason)
        {
            session.StopAsync(reason).GetAwaiter().GetResult();
            SessionRegistry.Remove(session);
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
