using System;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// A dial for a member found another peer at its endpoint (the member is gone and its port was given to another
    /// session): the dial refused it, and dialing that endpoint for the member again would only find it again.
    /// </summary>
    internal sealed class MemberMovedException : Exception
    {
        public MemberMovedException(string message) : base(message)
        {
        }
    }
}
