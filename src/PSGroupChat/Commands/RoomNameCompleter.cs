using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Net;
using PSGroupChat.Discovery;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// Completes -Room with the rooms announced on the LAN (what Find-ChatRoom lists), after a short browse. Rooms hidden
    /// by a shared secret have no name to complete. Without multicast it completes nothing.
    /// </summary>
    public sealed class RoomNameCompleter : IArgumentCompleter
    {
        /// <summary>How long a completion listens: long enough for the answers to one query, short enough for a Tab.</summary>
        public static readonly TimeSpan BrowseTime = TimeSpan.FromSeconds(1.5);

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var listen = fakeBoundParameters["ListenAddress"] is IPAddress address ? address
                : IPAddress.TryParse(fakeBoundParameters["ListenAddress"]?.ToString(), out var parsed) ? parsed : IPAddress.Any;
            IReadOnlyList<LanChatRoom> rooms;
            try
            {
                rooms = RoomSurvey.BrowseAsync(listen, BrowseTime, System.Threading.CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException || e is System.Net.NetworkInformation.NetworkInformationException)
            {
                return Array.Empty<CompletionResult>();
            }
            var prefix = wordToComplete.Trim('\'', '"');
            return rooms
                .Where(r => !r.SecretRequired && r.Room.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(r => new CompletionResult(r.Room, r.Room, CompletionResultType.ParameterValue,
                    $"{r.Room}: {r.MemberCount} members ({string.Join(", ", r.Members)})"))
                .ToList();
        }
    }
}
