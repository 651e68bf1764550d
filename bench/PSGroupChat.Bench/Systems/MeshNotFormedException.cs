using System;

namespace PSGroupChat.Bench.Systems
{
    /// <summary>
    /// A mesh was not full within its limit: an outcome the mesh benchmark reports ("not formed") and carries on from,
    /// unlike a failure of the program.
    /// </summary>
    internal sealed class MeshNotFormedException : TimeoutException
    {
        public MeshNotFormedException(string message) : base(message)
        {
        }
    }
}
