using System;
using System.Security.Cryptography;
using System.Text;

namespace PSGroupChat.Security
{
    /// <summary>
    /// The shared-secret proof of the handshake (docs/protocol.md, "Authentication"). Each side proves it holds the secret
    /// with HMAC-SHA256 over a label, its role, both peer ids, both fresh nonces and both identity keys' fingerprints, as
    /// that side sees them on its own TLS session. A relay that terminates TLS on both sides shows each member its own
    /// key instead of the other member's, so the proof one member makes does not check at the other: the secret is bound
    /// to the channel. A recorded proof fails against new nonces; a proof reflected back fails on the role. The secret
    /// never crosses the wire, and the listener proves itself only after the dialer's proof checked out, so a stranger
    /// who dials gets nothing to guess the secret against offline.
    /// </summary>
    internal sealed class Authenticator
    {
        private const int NonceSize = 16;
        private const int KeySize = 32;
        private static readonly byte[] Label = Encoding.ASCII.GetBytes("PSGroupChat-auth-v2");
        private static readonly byte[] NoKey = new byte[KeySize];
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
        public byte[] Prove(ProofInput input) => _secret == null ? Array.Empty<byte>() : Compute(_secret, input);

        /// <summary>Checks the remote side's proof. An open chat accepts any proof.</summary>
        public bool Verify(byte[] proof, ProofInput input)
        {
            if (_secret == null) return true;
            if (input.ProverNonce.Length != NonceSize || input.VerifierNonce.Length != NonceSize) return false;
            return FixedTimeEquals(Compute(_secret, input), proof);
        }

        /// <summary>
        /// The HMAC input, byte by byte: the 19 ASCII bytes "PSGroupChat-auth-v2"; one role byte, 'D' (0x44) when the
        /// prover dialed, 'L' (0x4C) when it listened; the prover's peer id and the verifier's, each as one length byte
        /// and its UTF-8; the prover's nonce (16) and the verifier's (16); the prover's key fingerprint (32) and the
        /// verifier's (32), each 32 zero bytes on a plaintext link.
        /// </summary>
        internal static byte[] Input(ProofInput input)
        {
            var prover = Encoding.UTF8.GetBytes(input.ProverId);
            var verifier = Encoding.UTF8.GetBytes(input.VerifierId);
            if (prover.Length > 255 || verifier.Length > 255) throw new ArgumentException("a peer id is too long for the proof");
            var bytes = new byte[Label.Length + 1 + 1 + prover.Length + 1 + verifier.Length + 2 * NonceSize + 2 * KeySize];
            int at = 0;
            void Put(byte[] part)
            {
                Buffer.BlockCopy(part, 0, bytes, at, part.Length);
                at += part.Length;
            }
            Put(Label);
            bytes[at++] = input.ProverDialed ? (byte)'D' : (byte)'L';
            bytes[at++] = (byte)prover.Length;
            Put(prover);
            bytes[at++] = (byte)verifier.Length;
            Put(verifier);
            Put(Fixed(input.ProverNonce, NonceSize));
            Put(Fixed(input.VerifierNonce, NonceSize));
            Put(input.ProverKey == null ? NoKey : Fixed(input.ProverKey, KeySize));
            Put(input.VerifierKey == null ? NoKey : Fixed(input.VerifierKey, KeySize));
            return bytes;
        }

        private static byte[] Fixed(byte[] value, int size) => value.Length == size ? value : throw new ArgumentException($"expected {size} bytes, got {value.Length}");

        private static byte[] Compute(byte[] secret, ProofInput input)
        {
            using var hmac = new HMACSHA256(secret);
            return hmac.ComputeHash(Input(input));
        }

        private static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            int difference = 0;
            for (int i = 0; i < a.Length; i++) difference |= a[i] ^ b[i];
            return difference == 0;
        }
    }

    /// <summary>What one proof covers; see <see cref="Authenticator.Input"/> for its bytes.</summary>
    internal readonly record struct ProofInput(bool ProverDialed, string ProverId, string VerifierId, byte[] ProverNonce, byte[] VerifierNonce, byte[]? ProverKey, byte[]? VerifierKey);
}
