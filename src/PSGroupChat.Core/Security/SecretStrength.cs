using System;
using System.Linq;
using System.Security.Cryptography;

namespace PSGroupChat.Security
{
    /// <summary>
    /// How hard a shared secret is to guess, roughly: its length against the kinds of character it uses. A proof of the
    /// secret is an HMAC, which anyone holding one proof can test guesses against offline at billions a second, so a
    /// secret a person would type is weak; New-ChatSecret's are 256 random bits.
    /// </summary>
    public static class SecretStrength
    {
        /// <summary>Below this many estimated bits a secret gets a warning.</summary>
        public const int MinimumBits = 80;

        /// <summary>The characters of a secret New-ChatSecret makes (base64url of 32 random bytes, unpadded).</summary>
        public const int NewSecretBytes = 32;

        /// <summary>A new strong secret: 32 random bytes as 43 characters of unpadded base64url.</summary>
        public static string NewSecret()
        {
            var bytes = new byte[NewSecretBytes];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            var text = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Array.Clear(bytes, 0, bytes.Length);
            return text;
        }

        /// <summary>An estimate of the secret's bits: its length times the bits of the character classes it draws from, less for repeats.</summary>
        public static int EstimatedBits(string secret)
        {
            if (string.IsNullOrEmpty(secret)) return 0;
            int pool = 0;
            if (secret.Any(char.IsLower)) pool += 26;
            if (secret.Any(char.IsUpper)) pool += 26;
            if (secret.Any(char.IsDigit)) pool += 10;
            if (secret.Any(c => !char.IsLetterOrDigit(c))) pool += 33;
            // A secret of few distinct characters ("aaaaaaaa…", "abababab…") is no stronger than its distinct ones allow.
            int distinct = secret.Distinct().Count();
            double perCharacter = Math.Log(Math.Max(2, Math.Min(pool, distinct * 2)), 2);
            return (int)(secret.Length * perCharacter);
        }

        /// <summary>Why a secret is weak, for a warning; null when it is strong enough.</summary>
        public static string? Weakness(string secret)
        {
            int bits = EstimatedBits(secret);
            if (bits >= MinimumBits) return null;
            return $"The shared secret is weak: {secret.Length} characters, about {bits} bits where {MinimumBits} are the least advised. " +
                "Whoever holds one proof of it (any member it reaches, or a peer a member dials) can test guesses against that proof offline, very fast. " +
                "Make a strong one with New-ChatSecret.";
        }
    }
}
