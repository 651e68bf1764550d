using System;
using System.Security.Cryptography;

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
