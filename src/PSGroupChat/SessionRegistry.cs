using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using PSGroupChat.Logging;

namespace PSGroupChat
{
    /// <summary>
    /// The sessions each runspace started, so that Get-ChatSession can list them, -Session can be left out when there is
    /// exactly one, and closing the runspace stops them all.
    /// </summary>
    internal static class SessionRegistry
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<Guid, List<ChatSession>> ByRunspace = new Dictionary<Guid, List<ChatSession>>();
        private static readonly Dictionary<ChatSession, PipelineLog> Logs = new Dictionary<ChatSession, PipelineLog>();

        public static void Add(ChatSession session, PipelineLog log)
        {
            var runspace = Runspace.DefaultRunspace;
            var key = runspace?.InstanceId ?? Guid.Empty;
            lock (Gate)
            {
                if (!ByRunspace.TryGetValue(key, out var list))
                {
                    ByRunspace[key] = list = new List<ChatSession>();
                    if (runspace != null) runspace.StateChanged += OnRunspaceStateChanged;
                }
                list.Add(session);
                Logs[session] = log;
            }
        }

        /// <summary>The sessions started in the current runspace, oldest first.</summary>
        public static IReadOnlyList<ChatSession> InCurrentRunspace()
        {
            var key = Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
            lock (Gate) return ByRunspace.TryGetValue(key, out var list) ? list.ToList() : new List<ChatSession>();
        }

        /// <summary>The log bridge of a session started by Start-ChatPeer, or null for one made otherwise.</summary>
        public static PipelineLog? LogOf(ChatSession session)
        {
            lock (Gate) return Logs.TryGetValue(session, out var log) ? log : null;
        }

        /// <summary>Forgets a session of the current runspace; returns false when it was not listed there.</summary>
        public static bool Remove(ChatSession session)
        {
            var key = Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
            lock (Gate)
            {
                Logs.Remove(session);
                return ByRunspace.TryGetValue(key, out var list) && list.Remove(session);
            }
        }

        public static void StopAllInCurrentRunspace(string reason) => StopAll(Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty, reason);

        private static void OnRunspaceStateChanged(object? sender, RunspaceStateEventArgs e)
        {
            var state = e.RunspaceStateInfo.State;
            if ((state == RunspaceState.Closing || state == RunspaceState.Closed || state == RunspaceState.Broken) && sender is Runspace runspace)
            {
                runspace.StateChanged -= OnRunspaceStateChanged;
                StopAll(runspace.InstanceId, "the runspace closed");
            }
        }

        private static void StopAll(Guid key, string reason)
        {
            List<ChatSession>? list;
            lock (Gate)
            {
                if (!ByRunspace.TryGetValue(key, out list)) return;
                ByRunspace.Remove(key);
                foreach (var session in list) Logs.Remove(session);
            }
            // All at once: each stop may wait for its links to drain, and a closing runspace should wait for the slowest, not the sum.
            var stops = list.Select(session => Task.Run(() => session.StopAsync(reason))).ToArray();
            try { Task.WaitAll(stops); }
            catch (AggregateException) { /* stopping is best effort here: the runspace is going away */ }
        }
    }
}
