using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using PSGroupChat.Lifecycle;
using PSGroupChat.Logging;
using PSGroupChat.Protocol;

namespace PSGroupChat.Membership
{
    /// <summary>
    /// The one retry loop for dialing a member again and again: a member heard of in gossip (the non-arbiter after a
    /// grace) and a member lost without a leave notice, both with the back-off of <see cref="RedialSchedule"/> until the
    /// re-dial horizon. Each stops once the member is no longer wanted: linked (either side may have dialed), departed, or
    /// the session stopping.
    /// </summary>
    internal sealed class Redialer
    {
        // Long enough for the arbiter's dial to come through on a busy machine: with 1 s, a 100-peer mesh forming in one
        // process had the other side dial nearly every pair as well (9,801 dials for 4,950 links, the second closed as a
        // duplicate), which took the time it saved.
        internal static readonly TimeSpan GossipDialGrace = TimeSpan.FromSeconds(3);

        private readonly MemberRegistry _registry;
        private readonly Func<ChatEndpoint, SoughtMember, Task> _connect;
        private readonly BackgroundWork _work;
        private readonly TimeProvider _time;
        private readonly ILogger _log;

        private readonly TimeSpan _horizon;
        private readonly HashSet<string> _dialingAnnounced = new HashSet<string>(StringComparer.Ordinal); // one loop per announced member
        private readonly int _maxPersistentLoops;

        /// <summary>Attempts of an announced member's dial once <see cref="DialAnnounced"/> already has as many persistent loops as members allowed.</summary>
        internal const int ShortLoopAttempts = 3;

        public Redialer(MemberRegistry registry, Func<ChatEndpoint, SoughtMember, Task> connect, BackgroundWork work, TimeProvider time, ILogger log, TimeSpan horizon, int maxMembers)
        {
            _maxPersistentLoops = maxMembers;
            _horizon = horizon;
            _registry = registry;
            _connect = connect;
            _work = work;
            _time = time;
            _log = log;
        }

        /// <summary>
        /// Links to a member we heard of. Of the two, the one with the lower peer id dials at once; the other waits a
        /// moment first, so that a newcomer and the members told of it do not open two links each time. A dial that fails
        /// is tried again on the back-off of a lost member's, until the two are linked (either side's dial) or the re-dial
        /// horizon has passed: a pair whose first dials failed (a handshake timed out while a mesh of hundreds formed on
        /// two cores, a route that was down) would otherwise never link, and the chat would hang on the members between them.
        /// At most as many such loops run as the session may have members: past that (a member announcing endpoints that
        /// never answer) an announced member gets <see cref="ShortLoopAttempts"/> attempts, so gossip cannot pile up timers.
        /// </summary>
        public void DialAnnounced(MemberAnnouncement entry, bool dialNow)
        {
            bool persistent;
            lock (_dialingAnnounced)
            {
                if (!_dialingAnnounced.Add(entry.PeerId)) return; // every new link's member list names it again
                persistent = _dialingAnnounced.Count <= _maxPersistentLoops;
            }
            var deadline = _time.GetUtcNow() + _horizon;
            _work.Run(async () =>
            {
                try
                {
                    await RunAsync(entry.Endpoint, new SoughtMember(entry.PeerId, entry.UserName), persistent ? int.MaxValue : ShortLoopAttempts,
                        attempt => attempt == 1 ? (dialNow ? TimeSpan.Zero : GossipDialGrace) : RedialSchedule.DelayBefore(attempt - 1),
                        () => !_registry.IsSettled(entry.PeerId) && _time.GetUtcNow() < deadline, loggedAs: null).ConfigureAwait(false);
                }
                finally
                {
                    lock (_dialingAnnounced) _dialingAnnounced.Remove(entry.PeerId);
                }
            });
        }

        /// <summary>
        /// Re-dials a member lost without a leave notice, until it is back (by either side's dial, or a new incarnation under
        /// its name), it said it left, the re-dial horizon has passed since it was lost (logged as given up), or another
        /// peer answers at its endpoint (logged as given up too, with who answered).
        /// </summary>
        public void Redial(LostMember lost) =>
            _work.Run(async () =>
            {
                var deadline = lost.LostAt + _horizon;
                var ended = new DialsEnded(0, null);
                try
                {
                    ended = await RunAsync(lost.Endpoint, new SoughtMember(lost.PeerId, lost.UserName), int.MaxValue, RedialSchedule.DelayBefore,
                        () => _registry.IsRedialing(lost.PeerId) && _time.GetUtcNow() < deadline, lost.UserName).ConfigureAwait(false);
                }
                finally
                {
                    bool wasWanted = _registry.IsRedialing(lost.PeerId);
                    _registry.EndRedial(lost.PeerId);
                    if (ended.Moved != null)
                        ChatLog.RedialMoved(_log, lost.UserName, lost.Endpoint.ToString(), ended.Moved, null);
                    else if (wasWanted && _time.GetUtcNow() >= deadline)
                        ChatLog.RedialGivenUp(_log, lost.UserName, lost.Endpoint.ToString(), ended.Attempts, _horizon.TotalHours, null);
                }
            });

        /// <summary>How a dial loop ended: the attempts it made, and what answered when another peer did.</summary>
        private readonly record struct DialsEnded(int Attempts, string? Moved);

        /// <summary>Dials until connected, no longer wanted, out of attempts, or refused.</summary>
        private async Task<DialsEnded> RunAsync(ChatEndpoint endpoint, SoughtMember sought, int attempts, Func<int, TimeSpan> delayBefore, Func<bool> wanted, string? loggedAs)
        {
            int attempt = 0;
            try
            {
                for (attempt = 1; attempt <= attempts; attempt++)
                {
                    var delay = delayBefore(attempt);
                    // The wait starts before it is logged, so that the log's word means the timer is set (tests key off it).
                    var wait = delay > TimeSpan.Zero ? _time.Delay(delay, _work.Stopping) : Task.CompletedTask;
                    if (loggedAs != null) ChatLog.Redialing(_log, loggedAs, endpoint.ToString(), attempt, delay.TotalSeconds, null);
                    await wait.ConfigureAwait(false);
                    if (!wanted()) return new DialsEnded(attempt - 1, null);
                    try
                    {
                        await _connect(endpoint, sought).ConfigureAwait(false);
                        return new DialsEnded(attempt, null);
                    }
                    catch (ChatException e) when (e.InnerException is MemberMovedException moved)
                    {
                        return new DialsEnded(attempt, moved.Message); // the same endpoint would only answer the same
                    }
                    catch (ChatException e) when (e.Code == ChatErrorCode.EndpointUnreachable || e.Code == ChatErrorCode.HandshakeFailed)
                    {
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ChatException)
            {
                // Refused (name taken, authentication) or stopped: logged where it happened, nothing to retry.
            }
            return new DialsEnded(attempt, null);
        }
    }
}
