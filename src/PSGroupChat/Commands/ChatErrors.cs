using System;
using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>The stable ErrorIds and categories of the module's error records.</summary>
    internal static class ChatErrors
    {
        public static ErrorRecord From(ChatException e, object? target = null)
        {
            var (id, category) = e.Code switch
            {
                ChatErrorCode.EndpointUnreachable => ("EndpointUnreachable", ErrorCategory.ConnectionError),
                ChatErrorCode.MalformedEndpoint => ("MalformedEndpoint", ErrorCategory.InvalidArgument),
                ChatErrorCode.PortInUse => ("PortInUse", ErrorCategory.ResourceUnavailable),
                ChatErrorCode.SessionStopped => ("SessionStopped", ErrorCategory.InvalidOperation),
                ChatErrorCode.UserNameTaken => ("UserNameTaken", ErrorCategory.ResourceExists),
                ChatErrorCode.UnknownRecipient => ("UnknownRecipient", ErrorCategory.ObjectNotFound),
                ChatErrorCode.AuthenticationFailed => ("AuthenticationFailed", ErrorCategory.AuthenticationError),
                ChatErrorCode.HandshakeFailed => ("HandshakeFailed", ErrorCategory.ProtocolError),
                _ => ("InvalidChatArgument", ErrorCategory.InvalidArgument),
            };
            return new ErrorRecord(e, id, category, target ?? e.Target);
        }

        public static ErrorRecord MalformedEndpoint(string text, FormatException e) =>
            new ErrorRecord(new ArgumentException(e.Message, e), "MalformedEndpoint", ErrorCategory.InvalidArgument, text);
    }
}
