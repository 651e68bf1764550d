using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Host;
using System.Threading;
using System.Threading.Tasks;
using PSGroupChat.Display;

namespace PSGroupChat.Room
{
    /// <summary>
    /// The chat room on the pipeline thread: shows what the session's inbox receives as it arrives, reads the keyboard
    /// through $Host.UI.RawUI, and acts on each line typed. Everything it writes, it writes on the calling thread.
    /// It consumes what it shows from the inbox (its own sent messages too), so Receive-ChatMessage later sees only
    /// what arrived after the room was left, or what arrived during the last moment and was not shown.
    /// </summary>
    internal sealed class ChatRoom
    {
        /// <summary>
        /// How often the keyboard is asked whether a key is waiting. PSHost has no event or wait handle for "a key is
        /// available", so the room must poll KeyAvailable; it does so while waiting on the inbox, which wakes it the
        /// moment an entry arrives. 40 ms is below what a typist notices and costs some 25 cheap calls a second.
        /// </summary>
        internal static readonly TimeSpan KeyPoll = TimeSpan.FromMilliseconds(40);

        // Per turn of the loop, so that a flood of messages never keeps the keyboard waiting, nor a paste the messages.
        private const int EntriesAtOnce = 200;
        private const int KeysAtOnce = 256;

        private const ReadKeyOptions KeyOptions = ReadKeyOptions.NoEcho | ReadKeyOptions.IncludeKeyDown | ReadKeyOptions.AllowCtrlC;

        private readonly ChatSession _session;
        private readonly PSHostUserInterface _ui;
        private readonly PSHostRawUserInterface _raw;
        private readonly Action _writeLog;
        private readonly Func<Task> _whenLogQueued;
        private readonly CancellationToken _leaving;
        private readonly RoomLineEditor _input = new RoomLineEditor();
        private RoomScreen? _screen;

        /// <param name="session">The session whose chat the room shows.</param>
        /// <param name="ui">The host's user interface, already known to be interactive (<see cref="InteractiveHost"/>).</param>
        /// <param name="writeLog">Writes the session's queued log records (verbose/debug) to the host.</param>
        /// <param name="whenLogQueued">A task that completes when a log record is queued.</param>
        /// <param name="leaving">Cancelled when the pipeline is stopped (Ctrl+C outside ReadKey).</param>
        public ChatRoom(ChatSession session, PSHostUserInterface ui, Action writeLog, Func<Task> whenLogQueued, CancellationToken leaving)
        {
            _session = session;
            _ui = ui;
            _raw = ui.RawUI;
            _writeLog = writeLog;
            _whenLogQueued = whenLogQueued;
            _leaving = leaving;
        }

        /// <summary>Runs the room until /quit, Ctrl+C or the session stops; with <paramref name="stopOnExit"/>, then stops the session.</summary>
        public RoomExit Run(bool stopOnExit)
        {
            var screen = _screen = new RoomScreen(_ui, _session.UserName + "> ");
            screen.Show(Welcome(), _input);
            var logQueued = _whenLogQueued();
            RoomExit exit;
            while (true)
            {
                if (_leaving.IsCancellationRequested)
                {
                    exit = RoomExit.Interrupted;
                    break;
                }
                long seen = _session.Inbox.LastArrival;
                bool completed = _session.Inbox.IsCompleted; // read before taking: nothing is added after, so the take drains it
                bool more = ShowArrivals();
                screen.FollowResize(_input);
                if (logQueued.IsCompleted)
                {
                    screen.Interrupt(_writeLog, _input);
                    logQueued = _whenLogQueued();
                }
                if (!more && completed)
                {
                    exit = RoomExit.SessionStopped;
                    break;
                }
                var left = ReadKeys();
                if (left != null)
                {
                    exit = left.Value;
                    break;
                }
                if (!more) Wait(seen, logQueued);
            }

            if (exit != RoomExit.SessionStopped && stopOnExit)
            {
                // Not cancellable on purpose: Ctrl+C asked to leave, and with -StopOnExit leaving includes saying goodbye.
                // StopAsync bounds its own wait for the links to drain.
                _session.StopAsync().GetAwaiter().GetResult();
            }
            screen.Close(Farewell(exit, stopOnExit), _input);
            return exit;
        }

        /// <summary>Shows what the inbox holds, oldest first; true when there is more than one turn's worth.</summary>
        private bool ShowArrivals()
        {
            var taken = _session.Inbox.Take(null, includeOwn: true, EntriesAtOnce);
            long dropped = _session.Inbox.TakeDroppedCount();
            if (taken.Count == 0 && dropped == 0) return false;
            var lines = new List<RoomLine>();
            if (dropped > 0)
            {
                lines.Add(new RoomLine(RoomLineKind.Problem,
                    $"{dropped} entries were dropped because the inbox was full (capacity {_session.Inbox.Capacity})."));
            }
            foreach (var entry in taken) lines.AddRange(RoomLineFormatter.Format(entry, TimeZoneInfo.Local));
            _screen!.Show(lines, _input);
            return taken.Count == EntriesAtOnce;
        }

        /// <summary>Reads the keys that are waiting and acts on them; the reason to leave, or null to stay.</summary>
        private RoomExit? ReadKeys()
        {
            bool edited = false;
            for (int i = 0; i < KeysAtOnce && _raw.KeyAvailable; i++)
            {
                switch (_input.Apply(_raw.ReadKey(KeyOptions), out var line))
                {
                    case RoomKeyResult.Edited:
                        edited = true;
                        break;
                    case RoomKeyResult.Interrupted:
                        return RoomExit.Interrupted;
                    case RoomKeyResult.LeaveAsked:
                        return RoomExit.Quit;
                    case RoomKeyResult.CompletionAsked:
                        edited |= Complete();
                        break;
                    case RoomKeyResult.RedrawAsked:
                        _screen!.Redraw(_input);
                        edited = false;
                        break;
                    case RoomKeyResult.Submitted:
                        _screen!.Draw(_input);
                        edited = false;
                        if (Act(RoomInputParser.Parse(line))) return RoomExit.Quit;
                        break;
                }
            }
            // Drawn once per batch: a pasted line costs one drawing, not one per character.
            if (edited) _screen!.Draw(_input);
            return null;
        }

        /// <summary>Tab: completes the word before the caret; lists the candidates when there are several. True when the line changed.</summary>
        private bool Complete()
        {
            var members = _session.GetPeers().Select(p => p.UserName);
            var completion = RoomCompleter.Complete(_input.Text, _input.Caret, members);
            if (completion == null) return false;
            bool changed = completion.Text != _input.Text || completion.Caret != _input.Caret;
            _input.Complete(completion);
            if (completion.Candidates.Count > 0) _screen!.Show(new[] { Info(string.Join("  ", completion.Candidates)) }, _input);
            return changed;
        }

        /// <summary>Does what a typed line asks; true when it asks to leave.</summary>
        private bool Act(RoomInput input)
        {
            switch (input.Kind)
            {
                case RoomInputKind.Say:
                    Send(input.Text, null, action: false);
                    break;
                case RoomInputKind.Action:
                    Send(input.Text, null, action: true);
                    break;
                case RoomInputKind.Direct:
                    Send(input.Text, new[] { input.Recipient! }, action: false);
                    break;
                case RoomInputKind.Who:
                    _screen!.Show(new[] { Info(Members()) }, _input);
                    break;
                case RoomInputKind.Help:
                    _screen!.Show(RoomInputParser.Usage.Select(Info).ToList(), _input);
                    break;
                case RoomInputKind.Invalid:
                    _screen!.Show(new[] { new RoomLine(RoomLineKind.Problem, input.Text) }, _input);
                    break;
                case RoomInputKind.Quit:
                    return true;
            }
            return false;
        }

        /// <summary>Sends; the sent message comes back through the inbox and is shown in its turn among the others.</summary>
        private void Send(string text, string[]? to, bool action)
        {
            try
            {
                _session.Send(text, to, action);
            }
            catch (ChatException e)
            {
                var problem = e.Code == ChatErrorCode.UnknownRecipient ? e.Message + " /who lists the members." : e.Message;
                _screen!.Show(new[] { new RoomLine(RoomLineKind.Problem, problem) }, _input);
            }
        }

        private void Wait(long seen, Task logQueued)
        {
            try
            {
                Task.WaitAny(new[] { _session.Inbox.WhenArrivalAsync(seen), logQueued }, (int)KeyPoll.TotalMilliseconds, _leaving);
            }
            catch (OperationCanceledException)
            {
                // The pipeline is being stopped: the loop sees it and leaves.
            }
        }

        private RoomLine[] Welcome()
        {
            int others = _session.PeerCount;
            var addresses = RoomAddresses.Of(_session.ListenEndpoint, _session.Port);
            return new[]
            {
                Info($"Chat room of '{_session.UserName}', {others} other member{(others == 1 ? "" : "s")} linked. " +
                     "/help lists the commands; /quit or Ctrl+C leaves."),
                Info($"Others join at {string.Join(" or ", addresses)}, e.g. with:"),
                Info($"  Start-ChatPeer -UserName <name> -Peer {addresses[0]} | Enter-ChatRoom"),
            };
        }

        private string Members()
        {
            var peers = _session.GetPeers().OrderBy(p => p.UserName, StringComparer.OrdinalIgnoreCase).ToList();
            var names = new List<string> { _session.UserName + " (you)" };
            names.AddRange(peers.Select(p => p.State == PeerState.Connected ? p.UserName : p.UserName + " (reconnecting)"));
            int present = 1 + peers.Count(p => p.State == PeerState.Connected);
            return $"Members ({present}): {string.Join(", ", names)}";
        }

        private RoomLine[] Farewell(RoomExit exit, bool stopOnExit)
        {
            var who = $"'{_session.UserName}'";
            if (exit == RoomExit.SessionStopped) return new[] { Info($"The session of {who} stopped ({_session.StopReason}); left the room.") };
            if (stopOnExit) return new[] { Info($"Left the room and the chat: the session of {who} is stopped.") };
            return new[]
            {
                Info($"Left the room. The session of {who} keeps running:"),
                Info("Receive-ChatMessage reads what comes next, Enter-ChatRoom returns here, Stop-ChatPeer leaves the chat."),
            };
        }

        private static RoomLine Info(string text) => new RoomLine(RoomLineKind.Info, ConsoleText.Clean(text));
    }
}
