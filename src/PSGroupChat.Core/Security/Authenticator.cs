using System;
using System.Security.Cryptography;
using System.Text;

namespace PSGroupChat.Security
{
    /// <summary>
    /// The shared-secret challenge-response of the handshake. Each side proves it holds the secret with
    /// HMAC-SHA256 over both peer ids and both fresh nonces, prover first, so a recorded proof fails against a new nonce
    /// and a proof reflected back at its sender fails because the roles are swapped. The secret never crosses the wire.
    /// </summary>
    internal sealed class Authenticator
    {
        private const int NonceSize = 16;
        private static readonly byte[] Label = Encoding.UTF8.GetBytes("PSGroupChat-auth-v1");
        private readonly byte[]? _secret;

        public Authenticator(byte[]? secret) => _secret = secret == null || secret.Length == 0 ? null : (byte[])secret.Clone();

        public bool IsRequired => _secret != null;

        public static byte[] NewNonce()
        {
            var nonce = new byte[NonceSize];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(nonce);
            return nonce;
        }

        /// <summary>This side's proof; empty for an open chat.</summary>
        public byte[] Prove(string proverId, string verifierId, byte[] proverNonce, byte[] verifierNonce) =>
            _secret == null ? Array.Empty<byte>() : Compute(_secret, proverId, verifierId, proverNonce, verifierNonce);

        /// <summary>Checks the remote side's proof. An open chat accepts any proof.</summary>
        public bool Verify(byte[] proof, string proverId, string verifierId, byte[] proverNonce, byte[] verifierNonce)
        {
            if (_secret == null) return true;
            if (proverNonce.Length != NonceSize) return false;
            var expected = Compute(_secret, proverId, verifierId, proverNonce, verifierNonce);
            return FixedTimeEquals(expected, proof);
        }

        private static byte[] Compute(byte[] secret, string proverId, string verifierId, byte[] proverNonce, byte[] verifierNonce)
        {
            using var hmac = new HMACSHA256(secret);
            var ids = Encoding.UTF8.GetBytes(proverId + "\n" + verifierId + "\n");
            var input = new byte[Label.Length + ids.Length + proverNonce.Length + verifierNonce.Length];
            int at = 0;
            foreach (var part in new[] { Label, ids, proverNonce, verifierNonce })
            {
                Buffer.BlockCopy(part, 0, input, at, part.Length);
                at += part.Length;
            }
            return hmac.ComputeHash(input);
        }

        private static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            int difference = 0;
            for (int i = 0; i < a.Length; i++) difference |= a[i] ^ b[i];
            return difference == 0;
        }
    }
}
