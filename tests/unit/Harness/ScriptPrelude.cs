namespace PSGroupChat.Tests.Harness
{
    /// <summary>
    /// PowerShell helpers for test scripts, written with the language and Core cmdlets only (the hosted engine has no
    /// Start-Sleep): wait on a condition with a generous limit, never for a fixed time.
    /// </summary>
    public static class ScriptPrelude
    {
        public const string WaitUntil = @"
function Wait-Until([scriptblock] $Condition, [string] $What, [int] $Seconds = 30) {
    $deadline = [datetime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([datetime]::UtcNow -gt $deadline) { throw ""Still not true after $Seconds s: $What"" }
        [System.Threading.Thread]::Sleep(20)
    }
}
";
    }
}
