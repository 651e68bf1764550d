namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 compile records and init-only setters; newer frameworks define it themselves.</summary>
    internal static class IsExternalInit
    {
    }
}
