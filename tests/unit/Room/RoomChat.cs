using System;
using System.Management.Automation;
using PSGroupChat.Tests.Harness;
using Xunit;

namespace PSGroupChat.Tests.Room
{
    /// <summary>
    /// A chat of three for the room tests: bob and carol in a runspace of their own (the default host, driven by
    /// scripts), and a runspace with a scripted host where alice enters the room.
    /// </summary>
    public sealed class RoomChat : IDisposable
    {
        private RoomChat(HostKeyboard keyboard)
        {
            Peers = new PowerShellHost();
            try
            {
                var setup = Peers.Run(ScriptPrelude.WaitUntil + @"
$bob = Start-ChatPeer -UserName bob -Port 0
$carol = Start-ChatPeer -UserName carol -Port 0 -Peer ""127.0.0.1:$($bob.Port)""
Wait-Until { $bob.PeerCount -eq 1 -and $carol.PeerCount -eq 1 } 'bob and carol linked'
");
                Assert.True(setup.Errors.Count == 0, setup.ErrorText);
                Bob = Session(Peers.Get("bob"));
                Carol = Session(Peers.Get("carol"));
                Keys = new KeyScript();
                Host = new ScriptedHost(Keys, keyboard);
                Room = new PowerShellHost(Host);
            }
            catch
            {
                Peers.Dispose();
                throw;
            }
        }

        public PowerShellHost Peers { get; }

        public ChatSession Bob { get; }

        public ChatSession Carol { get; }

        public KeyScript Keys { get; }

        public ScriptedHost Host { get; }

        public ScriptedScreen Screen => Host.Screen;

        /// <summary>The runspace whose host is the scripted one.</summary>
        public PowerShellHost Room { get; }

        /// <summary>Where alice joins: bob's endpoint.</summary>
        public string Seed => $"127.0.0.1:{Bob.Port}";

        /// <summary>True once alice is linked to both: each of the others then has two members.</summary>
        public bool Meshed => Bob.PeerCount == 2 && Carol.PeerCount == 2;

        public static RoomChat Start(HostKeyboard keyboard = HostKeyboard.Interactive) => new RoomChat(keyboard);

        /// <summary>The key script, holding its keys until alice is linked to both others.</summary>
        public KeyScript KeysOnceMeshed() => Keys.WaitUntil(() => Meshed, "alice linked to bob and carol");

        /// <summary>Starts <paramref name="script"/> in the room's runspace without waiting for it.</summary>
        public RoomRun Enter(string script) => new RoomRun(Room, Host, script);

        /// <summary>The one message or notice <paramref name="who"/> ('bob' or 'carol') receives next that matches the filter.</summary>
        public ChatMessage ReceiveOne(string who, string filter)
        {
            var result = Peers.Run($"Receive-ChatMessage -Session ${who} {filter} -Wait -Count 1 -Timeout 30");
            Assert.True(result.Errors.Count == 0, result.ErrorText);
            return Assert.Single(result.Objects<ChatMessage>());
        }

        public static ChatSession Session(object? value) => Assert.IsType<ChatSession>(value is PSObject wrapped ? wrapped.BaseObject : value);

        public void Dispose()
        {
            Room.Dispose();
            Peers.Dispose();
        }
    }
}
