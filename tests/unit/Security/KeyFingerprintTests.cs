using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PSGroupChat.Security;
using PSGroupChat.Transport;
using Xunit;

namespace PSGroupChat.Tests.Security
{
    /// <summary>A member's fingerprint read from its certificate's encoding is the one its key has, and only a P-256 key is read so.</summary>
    public class KeyFingerprintTests
    {
        [Fact]
        public void TheFingerprintReadFromACertificateIsTheKeysOwn()
        {
            for (int i = 0; i < 20; i++)
            {
                using var identity = ChatIdentity.CreateEphemeral();
                using var received = X509CertificateLoader.LoadCertificate(identity.Certificate.RawData); // as TLS hands it over: no private key
                var read = KeyFingerprint.OfEncoded(received.PublicKey);
                Assert.NotNull(read);
                Assert.Equal(identity.Fingerprint, KeyFingerprint.Format(read!));
                Assert.Null(ConnectionStart.RemoteKey(received, DateTimeOffset.UtcNow, out var remote));
                Assert.Equal(identity.FingerprintBytes, remote);
            }
        }

        [Fact]
        public void AnotherCurveOrAnRsaKeyIsNotReadAsAP256Key()
        {
            using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            using var onP384 = new CertificateRequest("CN=p384", p384, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            using var rsa = TestCertificates.Rsa();
            Assert.Null(KeyFingerprint.OfEncoded(onP384.PublicKey));
            Assert.Null(KeyFingerprint.OfEncoded(rsa.PublicKey));
            // And the slow path refuses them as before.
            Assert.StartsWith("it cannot be read", ConnectionStart.RemoteKey(onP384, DateTimeOffset.UtcNow, out var none));
            Assert.Null(none);
            Assert.Equal("its key is not an ECDSA key", ConnectionStart.RemoteKey(rsa, DateTimeOffset.UtcNow, out none));
        }
    }
}
