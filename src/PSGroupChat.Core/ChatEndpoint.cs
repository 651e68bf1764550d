using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PSGroupChat
{
    /// <summary>
    /// A peer's address in <c>host:port</c> form: an IPv4 address, a host name such as <c>localhost</c>,
    /// or a bracketed IPv6 address such as <c>[::1]:8080</c>.
    /// </summary>
    public sealed class ChatEndpoint : IEquatable<ChatEndpoint>
    {
        /// <summary>The form every error message shows, so that a user sees what to type instead.</summary>
        public const string ExpectedForm = "host:port, e.g. localhost:8080, 192.168.1.5:8080 or [::1]:8080";

        /// <summary>Creates an endpoint from a host (name or address, IPv6 without brackets) and a port.</summary>
        public ChatEndpoint(string host, int port)
        {
            if (string.IsNullOrWhiteSpace(host)) throw new ArgumentException("The host must not be empty.", nameof(host));
            if (port < 1 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be between 1 and 65535.");
            Host = host;
            Port = port;
        }

        /// <summary>The host name or address, IPv6 without brackets.</summary>
        public string Host { get; }

        /// <summary>The TCP port, 1 to 65535.</summary>
        public int Port { get; }

        /// <summary>Parses <c>host:port</c>; throws <see cref="FormatException"/> naming the expected form.</summary>
        public static ChatEndpoint Parse(string? text)
        {
            if (TryParse(text, out var endpoint, out var problem)) return endpoint!;
            throw new FormatException($"'{text}' is not a valid endpoint ({problem}): expected {ExpectedForm}.");
        }

        /// <summary>Parses <c>host:port</c> without throwing.</summary>
        public static bool TryParse(string? text, out ChatEndpoint? endpoint) => TryParse(text, out endpoint, out _);

        private static bool TryParse(string? text, out ChatEndpoint? endpoint, out string problem)
        {
            endpoint = null;
            text = text?.Trim();
            if (string.IsNullOrEmpty(text)) { problem = "it is empty"; return false; }

            string host;
            string portText;
            if (text![0] == '[')
            {
                int close = text.IndexOf(']');
                if (close < 0) { problem = "the IPv6 address has no closing ']'"; return false; }
                host = text.Substring(1, close - 1);
                if (close + 1 >= text.Length || text[close + 1] != ':') { problem = "the port is missing"; return false; }
                portText = text.Substring(close + 2);
                if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    problem = $"'{host}' is not an IPv6 address";
                    return false;
                }
            }
            else
            {
                int colon = text.LastIndexOf(':');
                if (colon < 0) { problem = "the port is missing"; return false; }
                if (text.IndexOf(':') != colon) { problem = "an IPv6 address needs brackets"; return false; }
                host = text.Substring(0, colon);
                portText = text.Substring(colon + 1);
            }

            if (host.Length == 0) { problem = "the host is missing"; return false; }
            foreach (char c in host)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '/' || c == '@') { problem = $"the host '{host}' contains '{c}'"; return false; }
            }
            if (portText.Length == 0) { problem = "the port is missing"; return false; }
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
            {
                problem = $"the port '{portText}' is not a number from 1 to 65535";
                return false;
            }
            endpoint = new ChatEndpoint(host, port);
            problem = string.Empty;
            return true;
        }

        /// <summary>Builds the endpoint a remote peer can reach: its address as seen on the socket, with the port it listens on.</summary>
        internal static ChatEndpoint FromAddress(IPAddress address, int port)
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            return new ChatEndpoint(address.ToString(), port);
        }

        /// <inheritdoc />
        public override string ToString() =>
            Host.IndexOf(':') >= 0 ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

        /// <inheritdoc />
        public bool Equals(ChatEndpoint? other) =>
            other is not null && other.Port == Port && string.Equals(other.Host, Host, StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as ChatEndpoint);

        /// <inheritdoc />
        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Host) ^ Port;
    }
}
