using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using PSGroupChat.Tests.Protocol;
using Xunit;

namespace PSGroupChat.Tests.Hardening
{
    /// <summary>
    /// Shared-secret authentication at the wire: a member proves it holds the secret and checks the other side's proof;
    /// a recorded handshake replayed later is refused; a refused side sees nothing of the chat.
    /// </summary>
    public class SharedSecretTests
    {
        private static readonly byte[] Secret = Encoding.UTF8.GetBytes("correct horse battery staple");

        /// <summary>
        /// Reads what a refused client got: only the session's own hello (a peer id and a nonce), then a bare refusal: not
        /// even the session's proof, which the dialer would need to test guesses of the secret against offline.
        /// </summary>
        private static void AssertRefusedSeeingNothing(System.Collections.Generic.List<JsonElement> frames)
        {
            var types = frames.Select(RawChatClient.Type).ToList();
            Assert.Equal(new[] { "hello", "refuse" }, types);
            var refuse = frames.Last();
            Assert.Equal("auth-failed", refuse.GetProperty("code").GetString());
            Assert.Equal("authentication failed", refuse.GetProperty("reason").GetString());
        }

        [Fact]
        public async Task TheRightSecretJoinsAndBothSidesProveIt()
        {
            await using var pair = await HonestPair.StartAsync(secret: Secret);
            using var member = await RawChatClient.ConnectAsync(pair.A.Port, "carol");
            // JoinAsync also checks A's proof against the secret, with the HMAC computed here from the documented inputs.
            Assert.Equal("joined", await member.JoinAsync(Secret));
            await pair.LogA.WaitForAsync(e => e.Event == "PeerJoined" && e["peer"] == "carol", "carol joins A");
            await pair.StopAndVerifyAsync();
        }

        [Theory]
        [InlineData("no secret")]
        [InlineData("wrong secret")]
        [InlineData("arbiter without secret")]
        public async Task AClientWithoutTheSecretIsRefusedAndSeesNothing(string who)
        {
            await using var pair = await HonestPair.StartAsync(secret: Secret);
            using var intruder = await RawChatClient.ConnectAsync(pair.A.Port, "mallory", arbiter: who.StartsWith("arbiter"));
            byte[]? secret = who == "wrong secret" ? Encoding.UTF8.GetBytes("correct horse battery stapler") : null;
            // Pipelined as an impatient client would: hello, proof, intro and accept at once, then whatever A sends.
            await intruder.SendFrameAsync(intruder.HelloJson());
            var hello = (await intruder.ReadFrameAsync())!.Value;
            await intruder.SendFrameAsync(intruder.AuthJson(secret, hello.GetProperty("id").GetString()!, hello.GetProperty("nonce").GetBytesFromBase64()));
            try
            {
                await intruder.SendFrameAsync(intruder.IntroJson());
                await intruder.SendFrameAsync(who.StartsWith("arbiter") ? "{\"type\":\"welcome\"}" : "{\"type\":\"accept\"}");
            }
            catch (IOException)
            {
                // A may have refused and closed already: what it sent before that is read below.
            }
            var frames = await intruder.ReadUntilClosedAsync();
            AssertRefusedSeeingNothing(frames.Prepend(hello).ToList());

            await pair.LogA.WaitForAsync(e => e.Event == "HandshakeFailed" && e["code"] == "auth-failed", "A logs the refusal");
            Assert.DoesNotContain(pair.LogA.Events, e => e.Event == "PeerJoined" && e["peer"] == "mallory");
            await pair.StopAndVerifyAsync();
        }

        // In plaintext, where a recording holds the frames themselves (in TLS a replay fails at the TLS handshake already).
        [Fact]
        public async Task AReplayedRecordingOfARealHandshakeIsRefused()
        {
            string log = Path.Combine(Path.GetTempPath(), $"psgroupchat-replay-{Guid.NewGuid():N}.jsonl");
            try
            {
                await using (var pair = await HonestPair.StartAsync(secret: Secret, jsonLogOfA: log, plaintext: true))
                {
                    // A real member joins A through a relay that records every byte, says something, and stays.
                    using var proxy = new RecordingProxy(pair.A.Port);
                    var recorded = ChatSession.Start(new ChatSessionOptions { UserName = "rita", ListenAddress = System.Net.IPAddress.Loopback, SharedSecret = Secret, Plaintext = true });
                    try
                    {
                        await recorded.ConnectAsync(new ChatEndpoint("127.0.0.1", proxy.Port));
                        await Eventually.True(() => pair.A.PeerCount(p => p.UserName == "rita") == 1, "rita joins A");
                        recorded.Send("hello from rita");
                        int heard = 0;
                        await Eventually.True(() => (heard += pair.A.Inbox.Take(m => m.Sender == "rita" && m.Kind == ChatMessageKind.Message).Count) > 0, "A hears rita");

                        // Replayed while rita is still a member, and again after she has left.
                        await ReplayAsync(pair, proxy.ClientToServer);
                        await recorded.StopAsync();
                        await pair.LogA.WaitForAsync(e => e.Event == "PeerLeft" && e["peer"] == "rita", "rita leaves");
                        await proxy.Finished;
                        var everything = proxy.ClientToServer;
                        Assert.Contains("hello from rita", Encoding.UTF8.GetString(everything)); // the recording is the real thing
                        await ReplayAsync(pair, everything);

                        // The secret itself never crossed the wire, in either direction.
                        Assert.Equal(-1, everything.AsSpan().IndexOf(Secret));
                        Assert.Equal(-1, proxy.ServerToClient.AsSpan().IndexOf(Secret));
                    }
                    finally
                    {
                        await recorded.StopAsync();
                    }
                    Assert.Equal(2, pair.LogA.Named("HandshakeFailed").Count(e => e["code"] == "auth-failed"));
                    await pair.StopAndVerifyAsync();
                }

                // A's JSON log: rita joined once (for real), the replays never; the secret appears nowhere.
                var lines = File.ReadAllLines(log);
                var joins = lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("event").GetString() == "PeerJoined")
                    .Select(e => e.GetProperty("peer").GetString()).ToList();
                Assert.Equal(new[] { "honest-b", "rita" }, joins);
                Assert.Equal(2, lines.Count(l => l.Contains("\"code\":\"auth-failed\"")));
                Assert.DoesNotContain(lines, l => l.Contains("correct horse"));
            }
            finally
            {
                File.Delete(log);
            }
        }

        private static async Task ReplayAsync(HonestPair pair, byte[] recording)
        {
            // The recording starts with rita's preamble: the replay sends it as it was.
            using var replay = await RawChatClient.ConnectAsync(pair.A.Port, "replayer", start: "raw");
            await replay.SendAsync(recording);
            await replay.SkipPreambleAsync();
            AssertRefusedSeeingNothing(await replay.ReadUntilClosedAsync());
        }
    }
}
