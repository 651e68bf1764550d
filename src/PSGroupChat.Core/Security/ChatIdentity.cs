using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PSGroupChat.Security
{
    /// <summary>
    /// A user's identity: an ECDSA P-256 key pair that persists across sessions, shown as its fingerprint. The private key
    /// never leaves this object except into its own file; <see cref="ToString"/> and every property show only the
    /// public fingerprint.
    /// </summary>
    public sealed class ChatIdentity : IDisposable
    {
        /// <summary>The file name of the identity key in its folder.</summary>
        public const string KeyFileName = "identity.key";

        private readonly ECDsa _key;
        private readonly object _gate = new object();
        private X509Certificate2? _certificate;

        private ChatIdentity(ECDsa key, string? path)
        {
            _key = key;
            Path = path;
            FingerprintBytes = KeyFingerprint.Of(key);
            var q = key.ExportParameters(false).Q;
            PublicPoint = new byte[65];
            PublicPoint[0] = 0x04;
            Buffer.BlockCopy(q.X!, 0, PublicPoint, 1, 32);
            Buffer.BlockCopy(q.Y!, 0, PublicPoint, 33, 32);
            Fingerprint = KeyFingerprint.Format(FingerprintBytes);
        }

        /// <summary>The identity's key file; null for one that lives in memory only.</summary>
        public string? Path { get; }

        /// <summary>The public key's fingerprint, e.g. <c>SHA256:q0Z…</c>.</summary>
        public string Fingerprint { get; }

        internal byte[] FingerprintBytes { get; }

        /// <summary>The public key as the handshake sends it: 0x04, then X and Y of 32 bytes each.</summary>
        internal byte[] PublicPoint { get; }

        /// <summary>An ECDSA SHA-256 signature (r and s, 32 bytes each) over <paramref name="message"/>.</summary>
        internal byte[] Sign(byte[] message)
        {
            // One signature at a time: a key object is not documented as safe to share between threads.
            lock (_gate) return _key.SignData(message, HashAlgorithmName.SHA256);
        }

        /// <summary>
        /// The per-user default folder: <c>%APPDATA%\PSGroupChat</c> on Windows; <c>$XDG_CONFIG_HOME/PSGroupChat</c>, else
        /// <c>~/.config/PSGroupChat</c>, elsewhere.
        /// </summary>
        public static string DefaultFolder
        {
            get
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                    return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "PSGroupChat");
                var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
                if (string.IsNullOrEmpty(config) || !System.IO.Path.IsPathRooted(config))
                {
                    var home = Environment.GetEnvironmentVariable("HOME");
                    if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                    config = System.IO.Path.Combine(home, ".config");
                }
                return System.IO.Path.Combine(config, "PSGroupChat");
            }
        }

        /// <summary>The default identity file: <see cref="KeyFileName"/> in <see cref="DefaultFolder"/>.</summary>
        public static string DefaultPath => System.IO.Path.Combine(DefaultFolder, KeyFileName);

        /// <summary>
        /// Loads the identity at <paramref name="path"/>, or makes one there (owner-only) when there is none. Throws
        /// <see cref="ChatException"/> (InvalidArgument) when the file is not an identity key or cannot be written.
        /// </summary>
        public static ChatIdentity LoadOrCreate(string path)
        {
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("The identity path is empty.", nameof(path));
            path = System.IO.Path.GetFullPath(path);
            try
            {
                if (Directory.Exists(path)) path = System.IO.Path.Combine(path, KeyFileName);
                if (File.Exists(path)) return new ChatIdentity(IdentityKeyFile.Read(path), path);
                var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                try
                {
                    IdentityKeyFile.Write(path, key);
                }
                catch (IOException) when (File.Exists(path))
                {
                    key.Dispose();
                    return new ChatIdentity(IdentityKeyFile.Read(path), path); // another session made it just now
                }
                return new ChatIdentity(key, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ChatException(ChatErrorCode.InvalidArgument, $"The identity file '{path}' cannot be read or created: {e.Message} Point -Identity at a path you can write.", path, e);
            }
        }

        /// <summary>A new identity that lives in memory only, for a session that needs no lasting one (tests, simulations).</summary>
        public static ChatIdentity CreateEphemeral() => new ChatIdentity(ECDsa.Create(ECCurve.NamedCurves.nistP256), null);

        /// <summary>
        /// The self-signed certificate of the key that this identity presents in TLS; made once and kept, so that a
        /// session linking to a hundred members signs one certificate, not a hundred.
        /// </summary>
        internal X509Certificate2 Certificate
        {
            get
            {
                lock (_gate) return _certificate ??= SelfSignedCertificate.Create(_key, DateTimeOffset.UtcNow, TimeSpan.FromDays(365));
            }
        }

        /// <inheritdoc />
        public override string ToString() => Fingerprint;

        /// <summary>Forgets the key.</summary>
        public void Dispose()
        {
            lock (_gate) _certificate?.Dispose();
            _key.Dispose();
        }
    }
}
