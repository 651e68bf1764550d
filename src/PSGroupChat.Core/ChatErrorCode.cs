namespace PSGroupChat
{
    /// <summary>Why an operation on a session failed; each code maps to one stable PowerShell ErrorId.</summary>
    public enum ChatErrorCode
    {
        /// <summary>The endpoint could not be reached (refused, unreachable, or it did not answer in time).</summary>
        EndpointUnreachable,

        /// <summary>The endpoint text is not <c>host:port</c>.</summary>
        MalformedEndpoint,

        /// <summary>The listening port is already in use.</summary>
        PortInUse,

        /// <summary>The session is stopped.</summary>
        SessionStopped,

        /// <summary>The user name is already used by a member of the chat.</summary>
        UserNameTaken,

        /// <summary>A direct message names a user who is not a member.</summary>
        UnknownRecipient,

        /// <summary>The remote side does not hold the same shared secret.</summary>
        AuthenticationFailed,

        /// <summary>The remote side did not complete the handshake (wrong protocol, wrong version, or it refused).</summary>
        HandshakeFailed,

        /// <summary>A message or user name breaks a limit.</summary>
        InvalidArgument,

        /// <summary>The listen address is not an address of this computer.</summary>
        AddressNotAvailable,

        /// <summary>
        /// A member's identity key is not accepted: its name is known with another key (trust on first use), or the chat
        /// is closed to keys outside -TrustedPeer.
        /// </summary>
        KeyRejected,
    }
}
