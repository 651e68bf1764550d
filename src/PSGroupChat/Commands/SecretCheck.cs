using System;
using System.Runtime.InteropServices;
using System.Security;

namespace PSGroupChat.Commands
{
    /// <summary>The engine's judgement of a secret (Security/SecretStrength), for a SecureString the user gave.</summary>
    internal static class SecretCheck
    {
        public static string? Weakness(SecureString secret)
        {
            if (secret.Length == 0) return null;
            IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
            try
            {
                return Security.SecretStrength.Weakness(Marshal.PtrToStringUni(unmanaged) ?? string.Empty);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }
    }
}
