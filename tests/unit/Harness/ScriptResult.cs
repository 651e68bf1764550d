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
