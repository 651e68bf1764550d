using System;
using System.Security.Cryptography;
using System.Text;

namespace PSGroupChat.Security
{
    /// <summary>
    /// The dialer's proof that it holds the identity key it names (docs/protocol.md, "Authentication"): an ECDSA P-256
    /// SHA-256 signature over the label "PSGroupChat-key-v2" and the same input as the shared-secret proof. The listener's
    /// key is proven by TLS, with its certificate; the dialer proves its own inside the TLS session instead of presenting
    /// a client certificate, which made .NET build a native TLS context for every connection and cost a quarter of each
    /// mutual handshake's CPU. The input names the listener's key as the dialer saw it in TLS, so a relay that terminates
    /// TLS with a key of its own cannot pass the signature on, and both nonces make a signature good for one connection.
    /// </summary>
    internal static class KeyProof
    {
        private static readonly byte[] Label = Encoding.ASCII.GetBytes("PSGroupChat-key-v2");

        /// <summary>The bytes signed: the label, then <see cref="Authenticator.Input"/> of <paramref name="input"/>.</summary>
        internal static byte[] Message(ProofInput input)
        {
            var proof = Authenticator.Input(input);
            var message = new byte[Label.Length + proof.Length];
            Buffer.BlockCopy(Label, 0, message, 0, Label.Length);
            Buffer.BlockCopy(proof, 0, message, Label.Length, proof.Length);
            return message;
        }

        /// <summary>This side's signature, as the dialer, over <paramref name="input"/> (whose prover key is its own).</summary>
        public static byte[] Sign(ChatIdentity identity, ProofInput input) => identity.Sign(Message(input));

        /// <summary>
        /// Checks that <paramref name="signature"/> was made by the key whose public point is <paramref name="point"/> over
        /// <paramref name="input"/> with that key's fingerprint, <paramref name="key"/>, as the prover's. Returns why not,
        /// or null.
        /// </summary>
        public static string? Verify(byte[] point, byte[] signature, ProofInput input, out byte[] key)
        {
            key = KeyFingerprint.OfPoint(point);
            input = input with { ProverKey = key };
            try
            {
                using var signer = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Part(point, 1), Y = Part(point, 33) },
                });
                return signer.VerifyData(Message(input), signature, HashAlgorithmName.SHA256) ? null
                    : "its signature does not check: a key it does not hold, or a relay in the middle with keys of its own";
            }
            catch (CryptographicException)
            {
                return "its key is not a point on the P-256 curve";
            }
        }

        private static byte[] Part(byte[] point, int offset)
        {
            var part = new byte[32];
            Buffer.BlockCopy(point, offset, part, 0, 32);
            return part;
        }
    }
}
