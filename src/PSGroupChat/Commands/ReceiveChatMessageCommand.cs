using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes received messages and notices to the pipeline, removing them from the inbox.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "ChatMessage")]
    [OutputType(typeof(ChatMessage))]
    public sealed class ReceiveChatMessageCommand : ChatSessionCommand
    {
        /// <summary>Waits for messages until -Count, -Timeout, Ctrl+C or the session stops.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>Seconds to wait, as with Wait-Event; -1 (the default) waits forever. Implies -Wait.</summary>
        [Parameter]
        [ValidateRange(-1, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        /// <summary>The most entries to write; with -Wait, stop once this many were written.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; } = int.MaxValue;

        /// <summary>Only entries from these members; the others stay in the inbox.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MemberNameCompleter))]
        public string[]? From { get; set; }

        /// <summary>Only entries of these kinds; the others stay in the inbox.</summary>
        [Parameter]
        public ChatMessageKind[]? Kind { get; set; }

        /// <summary>Also writes this session's own messages, in order among the others.</summary>
        [Parameter]
        public SwitchParameter IncludeOwn { get; set; }

        /// <summary>Drains the inbox, then waits for more when asked to.</summary>
        protected override void ProcessChatRecord()
        {
            var session = CurrentSession;
            bool wait = Wait.IsPresent || MyInvocation.BoundParameters.ContainsKey(nameof(Timeout));
            var timeout = Timeout < 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(Timeout);
            var started = DateTime.UtcNow;
            Func<ChatMessage, bool>? filter = From == null && Kind == null ? null : Matches;
            int written = 0;

            while (true)
            {
                long seen = session.Inbox.LastArrival;
                foreach (var message in session.Inbox.Take(filter, IncludeOwn.IsPresent, Count - written))
                {
                    WriteObject(message);
                    written++;
                }
                ReportDrops(session);
                if (!wait || written >= Count || session.Inbox.IsCompleted) break;

                var remaining = timeout == System.Threading.Timeout.InfiniteTimeSpan ? timeout : timeout - (DateTime.UtcNow - started);
                if (remaining != System.Threading.Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero) break;
                if (!WaitAny(new[] { session.Inbox.WhenArrivalAsync(seen), WhenLogQueuedAsync() }, remaining)) break;
                WriteQueuedLog(); // the log is written while waiting, not only at the end
            }
        }

        private bool Matches(ChatMessage message) =>
            (From == null || From.Any(name => ChatLimits.SameName(name, message.Sender)))
            && (Kind == null || Kind.Contains(message.Kind));

        private void ReportDrops(ChatSession session)
        {
            long dropped = session.Inbox.TakeDroppedCount();
            if (dropped > 0)
            {
                WriteWarning($"{dropped} entries were dropped from the inbox of '{session.UserName}' because it was full " +
                    $"(capacity {session.Inbox.Capacity}). Receive more often, or start the peer with a larger -InboxCapacity.");
            }
        }
    }
}
