using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSGroupChat.Security;
using PSGroupChat.Tests.Hardening;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Security
{
    /// <summary>Identity keys that persist, and trust on first use: a known name with another key is refused.</summary>
    public sealed class KnownPeersTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "psgc-known-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }

        [Fact]
        public async Task AKnownNameWithAnotherKeyIsRefusedUntilTheNewKeyIsAcceptedDeliberately()
        {
            var known = new KnownPeers(Path.Combine(_folder, KnownPeers.FileName));
            var aliceLog = new RecordingLoggerFactory();
            await using var set = new SessionSet();
            var alice = set.Start("alice", o => { o.KnownPeers = known; o.LoggerFactory = aliceLog; });
            var bob = set.Start("bob");
            await bob.ConnectAsync(SessionSet.EndpointOf(alice));
            Assert.Equal(bob.Fingerprint, known.Find("bob"));
            await bob.StopAsync();
            await Eventually.True(() => alice.PeerCount == 0, "bob left");

            // Same name, another key: refused whichever side dials.
            var impostor = set.Start("bob");
            var error = await Assert.ThrowsAsync<ChatException>(() => impostor.ConnectAsync(SessionSet.EndpointOf(alice)));
            Assert.Equal(ChatErrorCode.KeyRejected, error.Code);
            Assert.Contains("knows the name 'bob' by another key", error.Message);
            var logged = await aliceLog.WaitForAsync(e => e.Event == "KeyRefused", "alice reports the changed key");
            Assert.Contains(impostor.Fingerprint!, logged["reason"]);
            Assert.Contains(bob.Fingerprint!, logged["reason"]);

            var ours = await Assert.ThrowsAsync<ChatException>(() => alice.ConnectAsync(SessionSet.EndpointOf(impostor)));
            Assert.Equal(ChatErrorCode.KeyRejected, ours.Code);
            Assert.Contains("-AcceptNewKey bob", ours.Message);
            Assert.Contains(known.Path, ours.Message);
            Assert.Equal(0, alice.PeerCount);
            Assert.Equal(bob.Fingerprint, known.Find("bob"));

            // Accepted deliberately: forgotten, and the next key is recorded at first sight.
            Assert.True(known.Forget("bob"));
            await impostor.ConnectAsync(SessionSet.EndpointOf(alice));
            Assert.Equal(impostor.Fingerprint, known.Find("bob"));
        }

        [Fact]
        public void AnIdentityPersistsOwnerOnlyAndShowsOnlyItsFingerprint()
        {
            var path = Path.Combine(_folder, "nested", ChatIdentity.KeyFileName);
            string fingerprint;
            using (var made = ChatIdentity.LoadOrCreate(path))
            {
                fingerprint = made.Fingerprint;
                Assert.Equal(fingerprint, made.ToString());
            }
            using (var again = ChatIdentity.LoadOrCreate(path)) Assert.Equal(fingerprint, again.Fingerprint);
            using (var byFolder = ChatIdentity.LoadOrCreate(Path.GetDirectoryName(path)!)) Assert.Equal(fingerprint, byFolder.Fingerprint);
            Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", File.ReadAllText(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
            }

            File.WriteAllText(path, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
            var error = Assert.Throws<ChatException>(() => ChatIdentity.LoadOrCreate(path));
            Assert.Equal(ChatErrorCode.InvalidArgument, error.Code);
            Assert.Contains("cannot be used", error.Message);
        }

        [Fact]
        public void SessionsMakingTheFirstIdentityAtOnceAllKeepTheOneKeyOnDisk()
        {
            // Two first Start-ChatPeer calls at once each made a key, and both kept theirs in 7 of 2,000 two-thread races
            // (File.Move without overwrite looks, then renames, on Linux): known_peers then refused the one not on disk.
            const int Racers = 4;
            for (int round = 0; round < 300; round++)
            {
                var path = Path.Combine(_folder, "race" + round, ChatIdentity.KeyFileName);
                using var start = new System.Threading.Barrier(Racers);
                var made = Enumerable.Range(0, Racers).Select(_ => Task.Factory.StartNew(() =>
                {
                    start.SignalAndWait();
                    using var identity = ChatIdentity.LoadOrCreate(path);
                    return identity.Fingerprint;
                }, TaskCreationOptions.LongRunning)).ToArray();
                Task.WaitAll(made);
                using var onDisk = ChatIdentity.LoadOrCreate(path);
                Assert.All(made, m => Assert.Equal(onDisk.Fingerprint, m.Result));
                Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no partial file left behind
            }
        }
    }
}
