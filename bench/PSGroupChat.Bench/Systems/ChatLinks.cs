namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// How the benchmark's PSGroupChat sessions link to each other. Every mesh names it, never the engine's default:
    /// that default became TLS under the benchmark once, and every "PSGroupChat" row silently measured encryption.
    /// </summary>
    internal enum ChatLinks
    {
        /// <summary>Links in clear (<see cref="ChatSessionOptions.Plaintext"/>): the wire the throughput targets were set on.</summary>
        Plaintext,

        /// <summary>TLS links, as a session has them by default: each session makes its own identity key in memory.</summary>
        Tls,
    }

    /// <summary>The names the report gives each kind of link.</summary>
    internal static class ChatLinksNames
    {
        /// <summary>The System column's name: "PSGroupChat" in clear, "PSGroupChat TLS" encrypted.</summary>
        public static string SystemName(this ChatLinks links) => links == ChatLinks.Tls ? "PSGroupChat TLS" : "PSGroupChat";

        /// <summary>For row notes: what the links of a benchmark's sessions were.</summary>
        public static string Describe(this ChatLinks links) => links == ChatLinks.Tls
            ? "TLS links (the engine's default; a new identity key in memory per session)"
            : "plaintext links (ChatSessionOptions.Plaintext = true; no TLS)";
    }
}
