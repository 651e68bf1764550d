using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace PSGroupChat.Tests.Harness
{
    /// <summary>What a script run in the hosted engine produced, stream by stream.</summary>
    public sealed class ScriptResult
    {
        public ScriptResult(IList<PSObject> output, IList<ErrorRecord> errors, IList<WarningRecord> warnings,
            IList<VerboseRecord> verbose, IList<DebugRecord> debug)
        {
            Output = output;
            Errors = errors;
            Warnings = warnings;
            Verbose = verbose;
            Debug = debug;
        }

        /// <summary>
        /// The streams of a pipeline that has finished: ends the invocation, and returns a terminating error as an error
        /// record alongside the others.
        /// </summary>
        public static ScriptResult Collect(PowerShell ps, IAsyncResult running, PSDataCollection<PSObject> output)
        {
            var errors = new List<ErrorRecord>(ps.Streams.Error);
            try
            {
                ps.EndInvoke(running);
            }
            catch (RuntimeException e)
            {
                errors.Add(e.ErrorRecord);
            }
            return new ScriptResult(new List<PSObject>(output), errors, new List<WarningRecord>(ps.Streams.Warning),
                new List<VerboseRecord>(ps.Streams.Verbose), new List<DebugRecord>(ps.Streams.Debug));
        }

        public IList<PSObject> Output { get; }
        public IList<ErrorRecord> Errors { get; }
        public IList<WarningRecord> Warnings { get; }
        public IList<VerboseRecord> Verbose { get; }
        public IList<DebugRecord> Debug { get; }

        /// <summary>The base objects of the output, cast.</summary>
        public List<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>().ToList();

        /// <summary>All errors as one readable text, for assertion messages.</summary>
        public string ErrorText => string.Join("\n", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"));
    }
}
