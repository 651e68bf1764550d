using System;
using System.Collections.Generic;
using System.Linq;

namespace PSGroupChat.Security
{
    /// <summary>
    /// Which members' keys this session accepts: with -TrustedPeer, only the named ones (a closed chat); and, with a
    /// known-peers file, a name only with the key it was first seen with (trust on first use).
    /// </summary>
    internal sealed class KeyTrust
    {
        private readonly HashSet<string>? _trusted;
        private readonly KnownPeers? _known;

        public KeyTrust(IEnumerable<string>? trustedPeers, KnownPeers? knownPeers)
        {
            _trusted = trustedPeers == null ? null : new HashSet<string>(trustedPeers.Select(Normalize), StringComparer.Ordinal);
            _known = knownPeers;
        }

        /// <summary>Why a key is not welcome in a closed chat, or null when it is (or the chat is not closed).</summary>
        public string? Untrusted(byte[]? key, string ownFingerprint)
        {
            if (_trusted == null) return null;
            if (key == null) return "the link has no key to check against -TrustedPeer";
            var fingerprint = KeyFingerprint.Format(key);
            // A session trusts its own user's key: two sessions of one identity are one user.
            if (_trusted.Contains(fingerprint) || fingerprint == ownFingerprint) return null;
            return $"its key {fingerprint} is not one of this chat's -TrustedPeer keys";
        }

        /// <summary>
        /// Checks a member's name against the key it presented, recording the key at first sight. Returns null when the
        /// name may have that key, else what happened and how to accept the new key deliberately.
        /// </summary>
        public string? KeyChanged(string userName, byte[]? key)
        {
            if (_known == null || key == null) return null;
            var fingerprint = KeyFingerprint.Format(key);
            if (_known.Check(userName, fingerprint, out var recorded) != KeyVerdict.Changed) return null;
            return $"'{userName}' presented the key {fingerprint}, but this computer knows '{userName}' by the key {recorded} (in {_known.Path}): " +
                $"someone may be impersonating '{userName}'. If '{userName}' really has a new identity, accept it deliberately with Start-ChatPeer -AcceptNewKey {userName} (or delete that line of the file)";
        }

        /// <summary>A fingerprint as the file and the proof show it; a malformed one is left as given, to match nothing.</summary>
        internal static string Normalize(string fingerprint) => KeyFingerprint.TryParse(fingerprint, out var bytes) ? KeyFingerprint.Format(bytes) : fingerprint;
    }
}
