using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using PSGroupChat.Security;
using PSGroupChat.Tests.Hardening;
using PSGroupChat.Transport;
using Xunit;

namespace PSGroupChat.Tests.Security
{
    /// <summary>
    /// A session's TLS handshakes run with options prepared once (.NET 6 and later), and still meet a side that runs the
    /// plain overloads, as .NET Framework does.
    /// </summary>
    [Collection(TlsSessionCacheCollection.Name)]
    public class TlsAuthenticationTests
    {
        [Fact]
        public async Task OnThisRuntimeEveryHandshakeOfASessionUsesItsPreparedOptionsAndBuildsRemoteChainsAgainstNoSystemRoot()
        {
            using var alice = ChatIdentity.CreateEphemeral();
            using var bob = ChatIdentity.CreateEphemeral();
            var dialer = TlsAuthentication.For(alice.Certificate);
            var listener = TlsAuthentication.For(bob.Certificate);
            Assert.True(dialer.Prepared, "the authentication options were not found on .NET 10: every handshake would walk the system roots again");

            for (int i = 0; i < 3; i++)
            {
                var (atDialer, atListener, _) = await HandshakeAsync(dialer, listener);

                Assert.Equal(bob.Certificate.RawData, atDialer.Certificate);
                Assert.False(atListener, "the dialer presented a certificate: it proves its key in the handshake's auth frame instead");
                // Walking the system's roots cost more than the rest of the chain check, to conclude what the fingerprint decides anyway.
                Assert.Equal(X509ChainTrustMode.CustomRootTrust, atDialer.TrustMode);
                Assert.Empty(atDialer.CustomRoots);
            }
        }

        [Theory]
        [InlineData(true, false)]
        [InlineData(false, true)]
        [InlineData(false, false)]
        public async Task APreparedSideAndAPlainSideMeetInTls13(bool dialerPrepared, bool listenerPrepared)
        {
            using var alice = ChatIdentity.CreateEphemeral();
            using var bob = ChatIdentity.CreateEphemeral();
            var dialer = dialerPrepared ? TlsAuthentication.For(alice.Certificate) : TlsAuthentication.Plain(alice.Certificate);
            var listener = listenerPrepared ? TlsAuthentication.For(bob.Certificate) : TlsAuthentication.Plain(bob.Certificate);

            var (atDialer, atListener, _) = await HandshakeAsync(dialer, listener);

            Assert.Equal(bob.Certificate.RawData, atDialer.Certificate);
            Assert.False(atListener, "the dialer presented a certificate");
            Assert.Equal(System.Security.Authentication.SslProtocols.Tls13, atDialer.Protocol);
        }

        [Fact]
        public async Task OnLinuxADialerMeetingTheSameListenerAgainResumesTheSessionAndStillChecksTheListenersCertificate()
        {
            using var alice = ChatIdentity.CreateEphemeral();
            using var bob = ChatIdentity.CreateEphemeral();
            var dialer = TlsAuthentication.For(alice.Certificate);
            var listener = TlsAuthentication.For(bob.Certificate);
            using var port = Listening();

            var first = await HandshakeAsync(dialer, listener, readTickets: true, port);
            var again = await HandshakeAsync(dialer, listener, readTickets: true, port);

            AssertResumedOnLinuxOnly(bob, first, again, "in the second");
        }

        [Fact]
        public async Task OnLinuxADialerResumesWithEachListenerItMetEvenAfterMeetingAnother()
        {
            using var alice = ChatIdentity.CreateEphemeral();
            using var bob = ChatIdentity.CreateEphemeral();
            using var carol = ChatIdentity.CreateEphemeral();
            var dialer = TlsAuthentication.For(alice.Certificate);
            var atBob = TlsAuthentication.For(bob.Certificate);
            var atCarol = TlsAuthentication.For(carol.Certificate);
            using var bobPort = Listening();
            using var carolPort = Listening();

            var first = await HandshakeAsync(dialer, atBob, readTickets: true, bobPort);
            await HandshakeAsync(dialer, atCarol, readTickets: true, carolPort);
            var again = await HandshakeAsync(dialer, atBob, readTickets: true, bobPort);

            // A re-dial of several members after an outage: carol's ticket must not have taken the place of bob's.
            AssertResumedOnLinuxOnly(bob, first, again, "after the dialer had met carol");
        }

        /// <summary>
        /// Resumed: TLS 1.3 authenticated the listener by the earlier session's key, so it sent no certificate the second
        /// time. Elsewhere the platform may settle on TLS 1.2, whose resumption reuses the first session's secret: no
        /// resuming. The fingerprint that the handshake binds and trusts is read from the certificate the resumed session carries.
        /// </summary>
        private static void AssertResumedOnLinuxOnly(ChatIdentity listener, Met first, Met again, string when)
        {
            int certificate = listener.Certificate.RawData.Length;
            bool resumed = again.ListenerWrote < first.ListenerWrote - certificate;
            Assert.True(resumed == OperatingSystem.IsLinux(),
                $"the listener wrote {first.ListenerWrote} bytes in the first handshake and {again.ListenerWrote} {when}, with a certificate of {certificate}: {(resumed ? "" : "not ")}resumed");
            Assert.Equal(listener.Certificate.RawData, again.AtDialer.Certificate);
        }

        [Theory]
        [InlineData("127.0.0.1", 5000, "p127-0-0-1-5000.psgroupchat")]
        [InlineData("::ffff:10.0.0.5", 443, "p--ffff-10-0-0-5-443.psgroupchat")]
        [InlineData("FE80::1%2", 5000, "pfe80--1-2-5000.psgroupchat")]
        public void TheServerNameADialerSendsIsTheListenersAddressAndPortAsOneLabel(string address, int port, string expected)
        {
            Assert.Equal(expected, TlsAuthentication.ServerNameOf(new IPEndPoint(IPAddress.Parse(address), port)));
        }

        /// <summary>A listener's port, kept across handshakes as a member keeps its own.</summary>
        private static TcpListener Listening()
        {
            var server = new TcpListener(IPAddress.Loopback, 0);
            server.Start();
            return server;
        }

        /// <summary>What one handshake showed: see <see cref="HandshakeAsync"/>.</summary>
        private sealed record Met(Seen AtDialer, bool AtListener, long ListenerWrote);

        private sealed record Seen(byte[] Certificate, X509ChainTrustMode TrustMode, X509Certificate2Collection CustomRoots, System.Security.Authentication.SslProtocols Protocol);

        /// <summary>
        /// What the dialer saw of the listener's certificate, whether the listener received one from the dialer, and the
        /// bytes the listener wrote in the handshake. With <paramref name="readTickets"/>, the dialer reads a byte after it,
        /// and with it the session tickets a TLS 1.3 listener sends after its handshake. <paramref name="port"/>: where the
        /// listener listens, for a dialer to meet it there again; a port of its own when none is given.
        /// </summary>
        private static async Task<Met> HandshakeAsync(TlsAuthentication dialer, TlsAuthentication listener,
            bool readTickets = false, TcpListener? port = null)
        {
            using var ownPort = port == null ? Listening() : null;
            var server = port ?? ownPort!;
            using var client = new TcpClient();
            var accepting = server.AcceptTcpClientAsync();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)server.LocalEndpoint).Port);
            using var accepted = await accepting;

            (byte[], X509ChainTrustMode, X509Certificate2Collection)? atDialer = null;
            bool atListener = false;
            using var dialerTls = dialer.NewStream(client.GetStream(), (_, certificate, chain, _) =>
            {
                atDialer = (certificate!.GetRawCertData(), chain!.ChainPolicy.TrustMode, chain.ChainPolicy.CustomTrustStore);
                return true;
            });
            var listenerWrites = new CountingStream(accepted.GetStream());
            using var listenerTls = listener.NewStream(listenerWrites, (_, certificate, _, _) =>
            {
                atListener |= certificate != null;
                return true;
            });
            await Task.WhenAll(dialer.AuthenticateAsync(dialerTls, PeerDirection.Outbound, (IPEndPoint)client.Client.RemoteEndPoint!),
                    listener.AuthenticateAsync(listenerTls, PeerDirection.Inbound, (IPEndPoint)accepted.Client.RemoteEndPoint!))
                .WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(atDialer);
            long wrote = listenerWrites.Written;
            if (readTickets)
            {
                await listenerTls.WriteAsync(new byte[1]);
                Assert.Equal(1, await dialerTls.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            }
            return new Met(new Seen(atDialer.Value.Item1, atDialer.Value.Item2, atDialer.Value.Item3, dialerTls.SslProtocol), atListener || listenerTls.RemoteCertificate != null, wrote);
        }
    }
}
