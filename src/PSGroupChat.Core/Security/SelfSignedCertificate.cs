using System;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PSGroupChat.Security
{
    /// <summary>
    /// The certificate a session presents in TLS: self-signed, of its identity key. netstandard2.0 has no
    /// CertificateRequest, but every runtime the module runs on does (.NET Framework 4.7.2+, .NET Core 2.0+), so it is
    /// found at run time: one well-known type, no package to ship and clash.
    /// </summary>
    internal static class SelfSignedCertificate
    {
        private const string RequestType = "System.Security.Cryptography.X509Certificates.CertificateRequest";

        /// <summary>Valid from a day ago (clock skew between members) for <paramref name="lifetime"/>.</summary>
        public static X509Certificate2 Create(ECDsa key, DateTimeOffset now, TimeSpan lifetime)
        {
            var type = FindRequestType() ?? throw new PlatformNotSupportedException(
                "This .NET has no CertificateRequest (it needs .NET Framework 4.7.2 or later, or .NET Core 2.0 or later), so it cannot make the TLS certificate of the identity key. Upgrade .NET, or start the chat with -Plaintext.");
            object request = Activator.CreateInstance(type, "CN=PSGroupChat", key, HashAlgorithmName.SHA256);
            var createSelfSigned = type.GetMethod("CreateSelfSigned", new[] { typeof(DateTimeOffset), typeof(DateTimeOffset) })
                ?? throw new PlatformNotSupportedException("CertificateRequest.CreateSelfSigned is missing from this .NET.");
            X509Certificate2 certificate;
            try
            {
                certificate = (X509Certificate2)createSelfSigned.Invoke(request, new object[] { now.AddDays(-1), now + lifetime });
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw e.InnerException;
            }
            // Windows' TLS (SChannel) cannot use a key that lives only in memory: it needs one from a key store, which a
            // round trip through PKCS#12 gives (not tried here: see docs/security.md).
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                using (certificate) return new X509Certificate2(certificate.Export(X509ContentType.Pkcs12), (string?)null, X509KeyStorageFlags.UserKeySet);
            }
            return certificate;
        }

        private static Type? FindRequestType() =>
            typeof(ECDsa).Assembly.GetType(RequestType)
            ?? typeof(X509Certificate2).Assembly.GetType(RequestType)
            ?? Type.GetType(RequestType + ", System.Core")
            ?? Type.GetType(RequestType + ", System.Security.Cryptography");
    }
}
