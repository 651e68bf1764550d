using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PSGroupChat.Tests.Security
{
    /// <summary>Certificates a hostile client or a relay presents: its own P-256 key, an expired one, an RSA one.</summary>
    public static class TestCertificates
    {
        public static X509Certificate2 SelfSigned(DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=relay", key, HashAlgorithmName.SHA256);
            return request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30));
        }

        public static X509Certificate2 Expired() => SelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-30));

        public static X509Certificate2 Rsa()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=rsa", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        }

        /// <summary>The fingerprint as the engine shows it: SHA256: and the unpadded base64 of the SubjectPublicKeyInfo's hash.</summary>
        public static string Fingerprint(X509Certificate2 certificate) =>
            "SHA256:" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())).TrimEnd('=');
    }
}
