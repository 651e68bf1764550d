using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PSGroupChat.Security
{
    /// <summary>
    /// The fingerprint of an identity key as ssh shows it: <c>SHA256:</c> and the base64 (no padding) of the SHA-256 of
    /// the key's DER SubjectPublicKeyInfo. Identity keys are ECDSA P-256, so the SubjectPublicKeyInfo is a fixed prefix
    /// and the uncompressed point; no ASN.1 library is needed to write it.
    /// </summary>
    internal static class KeyFingerprint
    {
        /// <summary>SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (0 unused bits, 04 X Y) }, up to the point.</summary>
        internal static readonly byte[] P256SpkiPrefix =
        {
            0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
            0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
        };

        /// <summary>The DER of the named curve's OID, prime256v1, as a certificate's key parameters carry it.</summary>
        private static readonly byte[] P256Parameters = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };

        public const string Prefix = "SHA256:";

        /// <summary>The DER SubjectPublicKeyInfo of a P-256 public point.</summary>
        public static byte[] SubjectPublicKeyInfo(ECParameters publicKey)
        {
            if (publicKey.Q.X == null || publicKey.Q.Y == null || publicKey.Q.X.Length != 32 || publicKey.Q.Y.Length != 32)
                throw new CryptographicException("the key is not an ECDSA P-256 key");
            var spki = new byte[P256SpkiPrefix.Length + 64];
            Buffer.BlockCopy(P256SpkiPrefix, 0, spki, 0, P256SpkiPrefix.Length);
            Buffer.BlockCopy(publicKey.Q.X, 0, spki, P256SpkiPrefix.Length, 32);
            Buffer.BlockCopy(publicKey.Q.Y, 0, spki, P256SpkiPrefix.Length + 32, 32);
            return spki;
        }

        /// <summary>The 32-byte SHA-256 of the key's SubjectPublicKeyInfo: what the proof binds and member lists carry.</summary>
        public static byte[] Of(ECDsa key)
        {
            var parameters = key.ExportParameters(false);
            if (!IsP256(parameters.Curve)) throw new CryptographicException("the key is not an ECDSA P-256 key");
            using var sha = SHA256.Create();
            return sha.ComputeHash(SubjectPublicKeyInfo(parameters));
        }

        /// <summary>
        /// The fingerprint of a certificate's key read straight from its encoding, when it is a P-256 key in the
        /// uncompressed form every .NET-made certificate has; null for any other, for <see cref="Of"/> to read. Importing
        /// the key into the crypto library and exporting it again cost 60 µs a handshake for the same bytes.
        /// </summary>
        public static byte[]? OfEncoded(PublicKey key)
        {
            if (key.Oid.Value != "1.2.840.10045.2.1" || !Same(key.EncodedParameters.RawData, P256Parameters)) return null;
            var point = key.EncodedKeyValue.RawData;
            return point.Length != 65 || point[0] != 0x04 ? null : OfPoint(point);
        }

        /// <summary>The fingerprint of a P-256 public point in its 65-byte uncompressed form (0x04, X, Y).</summary>
        public static byte[] OfPoint(byte[] point)
        {
            if (point.Length != 65 || point[0] != 0x04) throw new ArgumentException("expected an uncompressed P-256 point of 65 bytes", nameof(point));
            var spki = new byte[P256SpkiPrefix.Length + 64]; // the prefix ends with the point's 04
            Buffer.BlockCopy(P256SpkiPrefix, 0, spki, 0, P256SpkiPrefix.Length);
            Buffer.BlockCopy(point, 1, spki, P256SpkiPrefix.Length, 64);
            using var sha = SHA256.Create();
            return sha.ComputeHash(spki);
        }

        private static bool Same(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }
            return true;
        }

        /// <summary>The shown form: <c>SHA256:</c> and unpadded base64.</summary>
        public static string Format(byte[] fingerprint) => Prefix + Convert.ToBase64String(fingerprint).TrimEnd('=');

        /// <summary>Parses the shown form (the prefix may be left out); false for anything that is not 32 bytes.</summary>
        public static bool TryParse(string? text, out byte[] fingerprint)
        {
            fingerprint = Array.Empty<byte>();
            if (text == null) return false;
            var body = text.Trim();
            if (body.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) body = body.Substring(Prefix.Length);
            if (body.Length != 43) return false;
            try
            {
                fingerprint = Convert.FromBase64String(body + "=");
            }
            catch (FormatException)
            {
                return false;
            }
            return fingerprint.Length == 32;
        }

        internal static bool IsP256(ECCurve curve) =>
            curve.IsNamed && (curve.Oid.Value == "1.2.840.10045.3.1.7" || string.Equals(curve.Oid.FriendlyName, "nistP256", StringComparison.OrdinalIgnoreCase)
                || string.Equals(curve.Oid.FriendlyName, "ECDSA_P256", StringComparison.OrdinalIgnoreCase) || string.Equals(curve.Oid.FriendlyName, "prime256v1", StringComparison.OrdinalIgnoreCase));
    }
}
