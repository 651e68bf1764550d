using System.Management.Automation;

namespace PSGroupChat.Commands
{
    /// <summary>
    /// A cmdlet that works in one chat session: declares <c>-Session</c> once (by value or by property name from the
    /// pipeline, completed with the runspace's sessions) and resolves it once per session given, defaulting to the one
    /// running session of the runspace (the shape of PSOpenAD's OpenADSessionCmdletBase).
    /// </summary>
    public abstract class ChatSessionCommand : ChatCommand
    {
        private ChatSession? _current;

        /// <summary>The session; by default the one running in this runspace.</summary>
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public ChatSession? Session { get; set; }

        /// <summary>The session this record works in: <see cref="Session"/>, or the one running session.</summary>
        protected ChatSession CurrentSession
        {
            get
            {
                // Resolved once per pipeline; a session piped in (or bound) per record replaces it.
                if (_current == null || (Session != null && Session != _current)) _current = ResolveSession(Session);
                return _current;
            }
        }
    }
}
