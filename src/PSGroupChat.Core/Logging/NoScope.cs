using System;

namespace PSGroupChat.Logging
{
    /// <summary>The scope our loggers hand out: they record no scopes.</summary>
    internal sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new NoScope();

        public void Dispose() { }
    }
}
