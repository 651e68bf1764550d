using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Reflection;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Transport
{
    /// <summary>
    /// How a session's links run their TLS handshakes, made once per session. Given only a certificate, SslStream builds
    /// a certificate context for it on every connection (a chain walk through the system's trusted roots), and walks the
    /// system roots again for every remote certificate: on Linux that was half of a handshake's CPU. Where the runtime
    /// has authentication options (.NET 6 and later), the session's certificate context is built once, and the
    /// listener's chain is built against an empty custom trust store (no authority vouches for a member anyway: the
    /// key's fingerprint is what is checked, by the caller's validation). netstandard2.0 has none of these types, so they are
    /// found at run time; without them (.NET Framework) the plain overloads run, as before.
    /// </summary>
    internal sealed class TlsAuthentication
    {
        // What a dialer without authentication options (.NET Framework) names every listener; it never asks to resume.
        private const string TargetHost = "PSGroupChat";
        private static readonly OptionsApi? Api = OptionsApi.Find();

        private readonly X509Certificate2 _certificate;
        private readonly OptionsApi? _options;
        private readonly object? _context; // the SslStreamCertificateContext, with the options

        private TlsAuthentication(X509Certificate2 certificate, OptionsApi? options)
        {
            _certificate = certificate;
            _options = options;
            _context = options?.CreateContext(certificate);
        }

        /// <summary>TLS 1.3 where this .NET knows it (the system may still settle on 1.2), else 1.2; never anything older.</summary>
        internal static readonly SslProtocols Protocols = Enum.IsDefined(typeof(SslProtocols), (SslProtocols)12288) ? (SslProtocols)(3072 | 12288) : (SslProtocols)3072;

        /// <summary>Whether handshakes run with prepared options (false: the plain overloads, as on .NET Framework).</summary>
        internal bool Prepared => _options != null;

        /// <summary>The handshakes of a session presenting <paramref name="certificate"/>.</summary>
        public static TlsAuthentication For(X509Certificate2 certificate) => new TlsAuthentication(certificate, Api);

        /// <summary>The handshakes as a runtime without authentication options (.NET Framework) runs them, for tests.</summary>
        internal static TlsAuthentication Plain(X509Certificate2 certificate) => new TlsAuthentication(certificate, null);

        /// <summary>A TLS stream over <paramref name="network"/> that checks the remote certificate with <paramref name="validate"/>.</summary>
        public SslStream NewStream(Stream network, RemoteCertificateValidationCallback validate) => new SslStream(network, leaveInnerStreamOpen: false, validate);

        /// <summary>
        /// Runs the handshake with <paramref name="remote"/>, the dialer as client. Only the listener presents this
        /// session's certificate: the dialer proves its key inside the TLS session, in the handshake's auth frame (a client
        /// certificate cost .NET a native TLS context per connection, a quarter of the handshake's CPU).
        /// </summary>
        public Task AuthenticateAsync(SslStream ssl, PeerDirection direction, IPEndPoint remote)
        {
            bool dialer = direction == PeerDirection.Outbound;
            if (_options != null) return _options.AuthenticateAsync(ssl, dialer, _context, dialer ? ServerNameOf(remote) : TargetHost);
            return dialer
                ? ssl.AuthenticateAsClientAsync(TargetHost, new X509CertificateCollection(), Protocols, checkCertificateRevocation: false)
                : ssl.AuthenticateAsServerAsync(_certificate, clientCertificateRequired: false, Protocols, checkCertificateRevocation: false);
        }

        /// <summary>
        /// The server name a dialer sends to the listener at <paramref name="listener"/>: its address and port as one DNS
        /// label, nothing the connection's own headers do not show. .NET keeps one TLS session per server name and process,
        /// so with a name per listener a dialer resumes with every listener it links to again (a re-dial of several members
        /// after an outage), and never offers one listener's ticket, which travels in clear, to another.
        /// </summary>
        internal static string ServerNameOf(IPEndPoint listener)
        {
            var name = new StringBuilder("p", 64);
            foreach (char c in listener.Address.ToString()) name.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
            return name.Append('-').Append(listener.Port.ToString(CultureInfo.InvariantCulture)).Append(".psgroupchat").ToString();
        }

        /// <summary>The authentication options API of .NET 6 and later, reached by reflection; null where it is missing.</summary>
        private sealed class OptionsApi
        {
            private readonly MethodInfo _createContext;
            private readonly Side _server;
            private readonly Side _client;

            private OptionsApi(MethodInfo createContext, Side server, Side client)
            {
                _createContext = createContext;
                _server = server;
                _client = client;
            }

            public static OptionsApi? Find()
            {
                try
                {
                    var assembly = typeof(SslStream).Assembly;
                    var context = assembly.GetType("System.Net.Security.SslStreamCertificateContext");
                    // Create(target, additional, offline[, trust]): .NET 6 and later.
                    var create = context == null ? null : Array.Find(context.GetMethods(BindingFlags.Public | BindingFlags.Static), m => m.Name == "Create"
                        && m.GetParameters().Length >= 3 && m.GetParameters()[2].ParameterType == typeof(bool));
                    var server = Side.Find(assembly.GetType("System.Net.Security.SslServerAuthenticationOptions"), nameof(SslStream.AuthenticateAsServerAsync), "ServerCertificateContext");
                    var client = Side.Find(assembly.GetType("System.Net.Security.SslClientAuthenticationOptions"), nameof(SslStream.AuthenticateAsClientAsync), null);
                    return create == null || server?.Context == null || client == null ? null : new OptionsApi(create, server, client);
                }
                catch (Exception e) when (e is AmbiguousMatchException || e is TypeLoadException || e is FileNotFoundException)
                {
                    return null;
                }
            }

            /// <summary>The session's certificate context: its chain is built here, once, offline (a self-signed certificate has no chain to fetch).</summary>
            public object CreateContext(X509Certificate2 certificate)
            {
                var parameters = _createContext.GetParameters();
                var arguments = new object?[parameters.Length];
                arguments[0] = certificate;
                arguments[2] = true;
                for (int i = 3; i < arguments.Length; i++) arguments[i] = parameters[i].HasDefaultValue ? parameters[i].DefaultValue : null;
                return Invoke(_createContext, null, arguments);
            }

            public Task AuthenticateAsync(SslStream ssl, bool asClient, object? context, string serverName)
            {
                var side = asClient ? _client : _server;
                var options = Activator.CreateInstance(side.Options);
                if (asClient)
                {
                    side.Set("TargetHost", options, serverName);
                    side.ChainPolicy?.SetValue(options, ChainPolicy()); // the listener's chain; a listener is sent none
                }
                else
                {
                    side.Context!.SetValue(options, context);
                    side.Set("ClientCertificateRequired", options, false);
                }
                side.Set("EnabledSslProtocols", options, Protocols);
                side.Set("CertificateRevocationCheckMode", options, X509RevocationMode.NoCheck);
                // Allowing resumption is what makes .NET keep one native TLS context per certificate (the listener's) and
                // per process (the dialers'), not one per connection: 2.96 → 2.67 ms of CPU a handshake here. A TLS 1.3
                // resumption authenticates the listener by the session it resumes, whose certificate the dialer's check
                // still reads, and keeps forward secrecy (OpenSSL offers only psk_dhe_ke); the dialer proves its own key in
                // the auth frame as ever. Dialers resume only on Linux: elsewhere the platform may settle on TLS 1.2,
                // whose resumed sessions reuse the first one's secret.
                side.Resume?.SetValue(options, !asClient || OnLinux);
                return (Task)Invoke(side.Authenticate, ssl, new[] { options, CancellationToken.None });
            }

            // A new policy per handshake: SslStream builds with the very policy it is given, and writes into it (its
            // application policy).
            private static X509ChainPolicy ChainPolicy()
            {
                var policy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck };
                TrustMode?.SetValue(policy, Enum.ToObject(TrustMode.PropertyType, 1)); // CustomRootTrust, with no roots
                NoDownloads?.SetValue(policy, true);
                return policy;
            }

            private static readonly bool OnLinux = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux);

            private static readonly PropertyInfo? TrustMode = typeof(X509ChainPolicy).GetProperty("TrustMode"); // .NET 5
            private static readonly PropertyInfo? NoDownloads = typeof(X509ChainPolicy).GetProperty("DisableCertificateDownloads"); // .NET 6

            private static object Invoke(MethodInfo method, object? target, object?[] arguments)
            {
                try
                {
                    return method.Invoke(target, arguments);
                }
                catch (TargetInvocationException e) when (e.InnerException != null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                    throw;
                }
            }
        }

        /// <summary>One side's options type, its Authenticate method and the properties that differ between runtimes.</summary>
        private sealed class Side
        {
            private Side(Type options, MethodInfo authenticate, string? context)
            {
                Options = options;
                Authenticate = authenticate;
                Context = context == null ? null : options.GetProperty(context);
                ChainPolicy = options.GetProperty("CertificateChainPolicy");
                Resume = options.GetProperty("AllowTlsResume");
            }

            public Type Options { get; }

            public MethodInfo Authenticate { get; }

            /// <summary>The server's certificate context, .NET 5 and later; a client presents none.</summary>
            public PropertyInfo? Context { get; }

            /// <summary>.NET 7 and later.</summary>
            public PropertyInfo? ChainPolicy { get; }

            /// <summary>.NET 8 and later.</summary>
            public PropertyInfo? Resume { get; }

            public static Side? Find(Type? options, string authenticate, string? context)
            {
                var method = options == null ? null : typeof(SslStream).GetMethod(authenticate, new[] { options, typeof(CancellationToken) });
                return method == null ? null : new Side(options!, method, context);
            }

            public void Set(string property, object options, object value) =>
                (Options.GetProperty(property) ?? throw new MissingMemberException(Options.Name, property)).SetValue(options, value);
        }
    }
}
