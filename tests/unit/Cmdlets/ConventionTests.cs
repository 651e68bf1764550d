using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Cmdlets
{
    /// <summary>The conventions PowerShell users expect: -WhatIf, completion, formatting, streams, and a clean exit.</summary>
    public class ConventionTests
    {
        [Fact]
        public void TheFormatFileHasATableViewForEachTypeNamingRealProperties()
        {
            var format = XDocument.Load(Path.Combine(RepositoryPaths.ModuleFolder, "PSGroupChat.Format.ps1xml"));
            var views = format.Descendants("View").ToList();
            foreach (var type in new[] { typeof(ChatMessage), typeof(ChatSession), typeof(ChatPeer) })
            {
                var view = Assert.Single(views, v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == type.FullName && v.Element("TableControl") != null);
                Assert.NotNull(view.Element("TableControl"));
                foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
                {
                    Assert.True(type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance) != null, $"{type.Name} has no property {property}");
                }
            }
        }

        [Fact]
        public async System.Threading.Tasks.Task VerboseAndDebugShowWhatHappensInside()
        {
            using var host = new PowerShellHost();
            var start = host.Run("$ann = Start-ChatPeer -UserName ann -Port 0; $ben = Start-ChatPeer -UserName ben -Port 0 -Peer \"127.0.0.1:$($ann.Port)\" -Verbose");
            Assert.True(start.Errors.Count == 0, start.ErrorText);
            Assert.Contains(start.Verbose, v => v.Message.Contains("[Dialing]"));
            Assert.Contains(start.Verbose, v => v.Message.Contains("[PeerJoined] ann joined"));

            var send = host.Run("Send-ChatMessage -Session $ben -Message 'first' -Debug");
            Assert.Contains(send.Debug, d => d.Message.Contains("[MessageSent]") && d.Message.Contains("first"));

            // Records logged on network threads reach a waiting cmdlet's debug stream while it listens.
            var ben = (ChatSession)host.Get("ben")!;
            using var receive = host.Create("Receive-ChatMessage -Session $ann -Kind Message -Wait -Debug");
            var running = receive.BeginInvoke();
            await Eventually.True(() =>
            {
                ben.Send("hello");
                return receive.Streams.Debug.Any(d => d.Message.Contains("[MessageReceived]") && d.Message.Contains("hello"));
            }, "a received message in the waiting cmdlet's debug stream");
            receive.Stop();

            // Without -Verbose or -Debug nothing is queued for the streams.
            var quiet = host.Run("Send-ChatMessage -Session $ben -Message 'quiet'; Stop-ChatPeer -Session $ben");
            Assert.Empty(quiet.Verbose);
            Assert.Empty(quiet.Debug);
        }

        [Fact]
        public void ClosingTheRunspaceOrRemovingTheModuleStopsItsSessionsAndFreesTheirPorts()
        {
            int port;
            ChatSession survivor;
            using (var host = new PowerShellHost())
            {
                host.Run("$s = Start-ChatPeer -UserName ann -Port 0");
                survivor = (ChatSession)host.Get("s")!;
                port = survivor.Port;
            }
            Assert.Equal(ChatSessionState.Stopped, survivor.State);
            AssertPortIsFree(port);

            using var other = new PowerShellHost();
            other.Run("$s = Start-ChatPeer -UserName ben -Port 0");
            var removed = (ChatSession)other.Get("s")!;
            var result = other.Run("Remove-Module PSGroupChat");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            Assert.Equal(ChatSessionState.Stopped, removed.State);
            AssertPortIsFree(removed.Port);
        }

        [Fact]
        public void ThirdPartyDependenciesLoadFromTheModulesOwnFolder()
        {
            // The test process does not carry Microsoft.Extensions.Logging itself, so only the module's resolve hook can
            // serve it, into the module's own load context (so PowerShell's type names do not see it; look it up by name).
            using var host = new PowerShellHost();
            var result = host.Run(@"$s = Start-ChatPeer -UserName ann -Port 0
$logging = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Logging' }
$logging.Location
[System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($logging).Name");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            Assert.Equal(new[] { Path.Combine(RepositoryPaths.ModuleFolder, "dependencies", "Microsoft.Extensions.Logging.dll"), "PSGroupChat" },
                result.Output.Select(o => o.ToString()));
        }

        private static void AssertPortIsFree(int port)
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.IPv6Any, port);
            listener.Server.DualMode = true;
            listener.Start();
            listener.Stop();
        }
    }
}
