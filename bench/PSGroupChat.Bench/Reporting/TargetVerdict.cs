namespace PSGroupChat.Bench.Reporting
{
    /// <summary>One target of issue 6 and where this run stands against it.</summary>
    internal sealed class TargetVerdict
    {
        public TargetVerdict(string target, string measured, bool met)
        {
            Target = target;
            Measured = measured;
            Met = met;
        }

        public string Target { get; }
        public string Measured { get; }
        public bool Met { get; }
    }
}
