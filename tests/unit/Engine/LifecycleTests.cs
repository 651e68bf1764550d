using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Engine
{
    /// <summary>What a session owns it also ends: dials can be cancelled, and stopping waits for every background task.</summary>
    public class LifecycleTests
    {
        /// <summary>A session with a long handshake limit: only a cancellation or a stop can end its dials in time.</summary>
        private static ChatSession StartPatient(SessionSet set) => set.Start("a", o => o.HandshakeTimeout = TimeSpan.FromMinutes(2));

        /// <summary>An endpoint where the kernel completes the connection, but nobody accepts it or ever says hello.</summary>
        private static TcpListener SilentListener(out ChatEndpoint endpoint)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            endpoint = new ChatEndpoint("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
            return listener;
        }

        [Fact]
        public async Task CancellingADialToAnEndpointThatNeverAnswersReturnsPromptlyAndLeavesNoTaskRunning()
        {
            await using var set = new SessionSet();
            var a = StartPatient(set);
            using var silent = SilentListener(out var endpoint);
            var idle = a.BackgroundTaskCount; // the accept loop

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a.ConnectAsync(endpoint, cancel.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the cancelled dial took {watch.Elapsed.TotalSeconds:0.0} s");

            await Eventually.True(() => a.BackgroundTaskCount == idle, "the dial's tasks to end");
            Assert.Equal(ChatSessionState.Running, a.State);
            await a.StopAsync();
            Assert.Equal(0, a.BackgroundTaskCount);
        }

        [Fact]
        public async Task ACallerJoiningAnotherCallersDialStopsOnlyItsOwnWait()
        {
            await using var set = new SessionSet();
            var a = StartPatient(set);
            using var silent = SilentListener(out var endpoint);

            var first = a.ConnectAsync(endpoint);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a.ConnectAsync(endpoint, cancel.Token));
            Assert.False(first.IsCompleted, "the first caller's dial goes on");

            await a.StopAsync();
            var error = await Assert.ThrowsAsync<ChatException>(() => first);
            Assert.Equal(ChatErrorCode.SessionStopped, error.Code);
            Assert.Equal(0, a.BackgroundTaskCount);
        }

        [Fact]
        public async Task AnAlreadyCancelledDialThrowsBeforeDialing()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            var b = set.Start("b");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a.ConnectAsync(SessionSet.EndpointOf(b), new CancellationToken(canceled: true)));
            Assert.Equal(0, a.PeerCount);
        }

        [Fact]
        public async Task StopAsyncReturnsOnlyOnceEveryBackgroundTaskHasEnded()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            var b = set.Start("b");
            var c = set.Start("c");
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await c.ConnectAsync(SessionSet.EndpointOf(a));
            await Eventually.True(() => set.All.All(s => s.PeerCount == 2), "a full mesh of three");
            Assert.True(a.BackgroundTaskCount > 1, "reader and writer loops run while linked");

            await a.StopAsync("bye");
            Assert.Equal(0, a.BackgroundTaskCount);
            await b.DisposeAsync();
            Assert.Equal(0, b.BackgroundTaskCount);
            await c.WaitUntilStoppedAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(50)).Token).ContinueWith(_ => { });
            c.Abort();
            Assert.Equal(0, c.BackgroundTaskCount);
            await c.WaitUntilStoppedAsync();
        }

        [Fact]
        public async Task AnEventHandlerThatStopsItsSessionDoesNotWaitForItself()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            var b = set.Start("b");
            await b.ConnectAsync(SessionSet.EndpointOf(a));
            await Eventually.True(() => a.PeerCount == 1, "a links to b too");
            var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Dispose blocks the reader loop that raised the event until the stop is done; the stop must not wait for that loop.
            b.MessageReceived += (_, _) => { b.Dispose(); stopped.TrySetResult(true); };

            a.Send("please leave");
            Assert.Same(stopped.Task, await Task.WhenAny(stopped.Task, Task.Delay(TimeSpan.FromSeconds(30))));
            Assert.Equal(ChatSessionState.Stopped, b.State);
            await b.WaitUntilStoppedAsync();
            Assert.Equal(0, b.BackgroundTaskCount);
        }

        [Fact]
        public void NoPublicPropertyOfASessionIsATaskOrAnInternal()
        {
            // ConvertTo-Json and Format-List * read every public property: a Task's Result would block them for good.
            var properties = typeof(ChatSession).GetProperties(BindingFlags.Public | BindingFlags.Instance);
            Assert.DoesNotContain(properties, p => typeof(Task).IsAssignableFrom(p.PropertyType));
            Assert.DoesNotContain(properties, p => p.Name == "Inbox" || p.Name == "WhenStopped");
            static bool Plain(Type t) => t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(DateTimeOffset) || t == typeof(TimeSpan)
                || t == typeof(ChatException) || t == typeof(Exception);
            Assert.All(properties, p => Assert.True(Plain(p.PropertyType) || p.PropertyType == typeof(PSGroupChat.Discovery.RoomPresence), p.Name));
            // The room presence is shown through the session too, so it is held to the same rule.
            Assert.All(typeof(PSGroupChat.Discovery.RoomPresence).GetProperties(BindingFlags.Public | BindingFlags.Instance), p => Assert.True(Plain(p.PropertyType), "Presence." + p.Name));
        }

        [Fact]
        public void ListeningOnAnAddressThisComputerDoesNotHaveIsAddressNotAvailable()
        {
            var error = Assert.Throws<ChatException>(() => ChatSession.Start(new ChatSessionOptions { UserName = "a", ListenAddress = IPAddress.Parse("10.9.9.9") }));
            Assert.Equal(ChatErrorCode.AddressNotAvailable, error.Code);
            Assert.Equal("10.9.9.9:0", error.Target);
            Assert.Contains("10.9.9.9", error.Message);
        }

        [Fact]
        public async Task APortInUseSaysWhereInTheChatsTermsAndNamesNoCmdlet()
        {
            await using var set = new SessionSet();
            var a = set.Start("a", o => o.ListenAddress = IPAddress.IPv6Any);
            var error = Assert.Throws<ChatException>(() => ChatSession.Start(new ChatSessionOptions { UserName = "b", Port = a.Port }));
            Assert.Equal(ChatErrorCode.PortInUse, error.Code);
            Assert.Equal($"Port {a.Port} is already in use on every address of this computer.", error.Message);
            Assert.Equal($"[::]:{a.Port}", error.Target);
        }

        [Fact]
        public async Task AStoppedSessionSaysSoWithoutNamingACmdlet()
        {
            await using var set = new SessionSet();
            var a = set.Start("a");
            await a.StopAsync();
            var error = Assert.Throws<ChatException>(() => a.Send("late"));
            Assert.Equal(ChatErrorCode.SessionStopped, error.Code);
            Assert.Same(a, error.Target);
            Assert.Equal("The chat session of 'a' has stopped.", error.Message);
        }
    }
}
