using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// Dial-and-report, shared by Start-ChatPeer -Peer and Connect-ChatPeer: endpoints are parsed before anything is
    /// dialed, every dial runs at once, and each is reported on the pipeline thread as the member it linked or an error.
    /// </summary>
    internal sealed class MemberDialer
    {
        private readonly ChatCommand _cmdlet;
        private readonly List<(ChatEndpoint Endpoint, Task<ChatPeer> Dial)> _dials = new List<(ChatEndpoint, Task<ChatPeer>)>();

        public MemberDialer(ChatCommand cmdlet) => _cmdlet = cmdlet;

        /// <summary>
        /// The endpoints of <paramref name="texts"/>; a MalformedEndpoint error for each text that is not host:port.
        /// <paramref name="allValid"/> says whether every text was one.
        /// </summary>
        public List<ChatEndpoint> Parse(IEnumerable<string> texts, out bool allValid)
        {
            var endpoints = new List<ChatEndpoint>();
            allValid = true;
            foreach (var text in texts)
            {
                try
                {
                    endpoints.Add(ChatEndpoint.Parse(text));
                }
                catch (FormatException e)
                {
                    _cmdlet.WriteError(ChatErrors.MalformedEndpoint(text, e));
                    allValid = false;
                }
            }
            return endpoints;
        }

        /// <summary>Starts a dial per endpoint; <paramref name="cancel"/> (Ctrl+C) ends them.</summary>
        public void Start(ChatSession session, IEnumerable<ChatEndpoint> endpoints, CancellationToken cancel)
        {
            foreach (var endpoint in endpoints)
            {
                Task<ChatPeer> dial;
                try
                {
                    dial = session.ConnectAsync(endpoint, cancel);
                }
                catch (ChatException e)
                {
                    dial = Task.FromException<ChatPeer>(e);
                }
                _dials.Add((endpoint, dial));
            }
        }

        /// <summary>
        /// Waits for every dial started, reporting each: the member linked (written when <paramref name="writeMembers"/>)
        /// or an error record, written at once unless <paramref name="holdFailures"/> (then they are in the outcome, for
        /// the caller to complete and write). Stops at a refusal that ends the session (the user name is taken).
        /// </summary>
        public DialOutcome Report(bool writeMembers, bool holdFailures = false)
        {
            var linked = new List<ChatPeer>();
            var failures = new List<ErrorRecord>();
            try
            {
                foreach (var (endpoint, dial) in _dials)
                {
                    try
                    {
                        var member = _cmdlet.Await(dial);
                        linked.Add(member);
                        if (writeMembers) _cmdlet.WriteObject(member);
                    }
                    catch (ChatException e) when (e.Code == ChatErrorCode.UserNameTaken)
                    {
                        return new DialOutcome(linked, failures, e);
                    }
                    catch (ChatException e)
                    {
                        var failure = ChatErrors.From(e, endpoint.ToString());
                        if (holdFailures) failures.Add(failure);
                        else _cmdlet.WriteError(failure);
                    }
                }
                return new DialOutcome(linked, failures, null);
            }
            finally
            {
                _dials.Clear();
            }
        }
    }

    /// <summary>What the dials came to: the members linked, the failures held back, and the refusal that ends the session.</summary>
    /// <remarks>A class, not a record: a shim for records here would clash with the engine's once it has one.</remarks>
    internal sealed class DialOutcome
    {
        public DialOutcome(IReadOnlyList<ChatPeer> linked, IReadOnlyList<ErrorRecord> failures, ChatException? nameTaken)
        {
            Linked = linked;
            Failures = failures;
            NameTaken = nameTaken;
        }

        public IReadOnlyList<ChatPeer> Linked { get; }

        public IReadOnlyList<ErrorRecord> Failures { get; }

        public ChatException? NameTaken { get; }
    }
}
