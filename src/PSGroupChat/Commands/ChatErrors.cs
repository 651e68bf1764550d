using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// Every ErrorRecord the module writes: a stable ErrorId and category per failure, the target the engine named, and a
    /// RecommendedAction saying what to do. The advice lives here, not in the engine's messages, because only the cmdlets
    /// know their parameter names.
    /// </summary>
    internal static class ChatErrors
    {
        /// <summary>The record of an engine failure; its target is the engine's, or <paramref name="fallbackTarget"/> when it named none.</summary>
        public static ErrorRecord From(ChatException e, object? fallbackTarget = null)
        {
            var (id, category, advice) = Describe(e.Code);
            return Record(e, id, category, e.Target ?? fallbackTarget, advice);
        }

        /// <summary>An endpoint that is not host:port; found before anything is dialed or started.</summary>
        public static ErrorRecord MalformedEndpoint(string text, FormatException e) =>
            From(new ChatException(ChatErrorCode.MalformedEndpoint, e.Message, text, e));

        /// <summary>No session given and none running.</summary>
        public static ErrorRecord NoSession() => Record(
            new InvalidOperationException("No chat session is running in this runspace."),
            "NoChatSession", ErrorCategory.InvalidOperation, null,
            "Start one with Start-ChatPeer, or pass one with -Session.");

        /// <summary>No session given and several running: which one is meant?</summary>
        public static ErrorRecord SeveralSessions(IReadOnlyList<ChatSession> running)
        {
            var names = string.Join(", ", running.Select(s => $"'{s.UserName}' (port {s.Port})"));
            return Record(
                new InvalidOperationException($"{running.Count} chat sessions are running in this runspace: {names}."),
                "SeveralChatSessions", ErrorCategory.InvalidOperation, null,
                $"Say which with -Session, e.g. -Session (Get-ChatSession -UserName '{running[0].UserName}').");
        }

        /// <summary>A failure outside the engine (a log file, a listen address) with its own id and advice.</summary>
        public static ErrorRecord Record(Exception e, string id, ErrorCategory category, object? target, string advice)
        {
            var record = new ErrorRecord(e, id, category, target);
            record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = advice };
            return record;
        }

        private static (string Id, ErrorCategory Category, string Advice) Describe(ChatErrorCode code) => code switch
        {
            ChatErrorCode.EndpointUnreachable => ("EndpointUnreachable", ErrorCategory.ConnectionError,
                "Check that a chat peer listens at that host:port (its Get-ChatSession shows where) and that nothing blocks the port."),
            ChatErrorCode.MalformedEndpoint => ("MalformedEndpoint", ErrorCategory.InvalidArgument,
                "Give the endpoint as host:port with a port from 1 to 65535, e.g. localhost:9001, 192.168.1.20:9001 or [::1]:9001."),
            ChatErrorCode.PortInUse => ("PortInUse", ErrorCategory.ResourceUnavailable,
                "Choose another -Port, or -Port 0 for a free one."),
            ChatErrorCode.AddressNotAvailable => ("ListenAddressNotAvailable", ErrorCategory.InvalidArgument,
                "Give -ListenAddress an address of this computer (Get-NetIPAddress or ip address lists them), or leave it out to listen on all."),
            ChatErrorCode.SessionStopped => ("SessionStopped", ErrorCategory.InvalidOperation,
                "Start a new session with Start-ChatPeer; Get-ChatSession -State Running lists the running ones."),
            ChatErrorCode.UserNameTaken => ("UserNameTaken", ErrorCategory.ResourceExists,
                "Start the peer again with another -UserName; Get-ChatPeer on any member lists the names in use."),
            ChatErrorCode.UnknownRecipient => ("UnknownRecipient", ErrorCategory.ObjectNotFound,
                "Name a member with -To; Get-ChatPeer lists the members (Tab completes their names)."),
            ChatErrorCode.AuthenticationFailed => ("AuthenticationFailed", ErrorCategory.AuthenticationError,
                "Start the peer with the same -SharedSecret as the chat it joins. If both hold the same secret, something between them relays the connection: compare the Fingerprint each side's Get-ChatPeer shows with the other's Get-ChatSession."),
            ChatErrorCode.KeyRejected => ("KeyRejected", ErrorCategory.SecurityError,
                "Compare the member's Fingerprint with what its own Get-ChatSession shows (by a channel you trust). If its key really changed, accept it with Start-ChatPeer -AcceptNewKey <name>; in a closed chat, add it to -TrustedPeer."),
            ChatErrorCode.HandshakeFailed => ("HandshakeFailed", ErrorCategory.ProtocolError,
                "Check that the endpoint is a PSGroupChat peer of a compatible version, and try again."),
            ChatErrorCode.InvalidArgument => ("InvalidChatArgument", ErrorCategory.InvalidArgument,
                "Correct the value the message names and run the command again."),
            // A code this module does not know yet still gets a stable id: the code's own name.
            _ => (code.ToString(), ErrorCategory.InvalidOperation, "Read the message for the cause, correct it and try again."),
        };
    }
}
