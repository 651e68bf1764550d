# Shared by the per-cmdlet Pester files: dot-source it in BeforeAll. Imports the module the build assembled in
# out/PSGroupChat (relative to the repository, whatever the caller's PSModulePath), and gives the waits and clean-up
# every test uses. Tests use port 0 (free ports) only, and stop every session they start.

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
$script:ModuleManifest = Join-Path $script:RepositoryRoot 'out/PSGroupChat/PSGroupChat.psd1'
if (-not (Test-Path $script:ModuleManifest)) {
    throw "The module is not built: $script:ModuleManifest is missing. Run 'dotnet build' in $script:RepositoryRoot first."
}
Import-Module $script:ModuleManifest -Force -ErrorAction Stop

# Waits for a condition with a generous limit, polling; fails with the description when it never holds.
function Wait-Until {
    param(
        [Parameter(Mandatory)] [scriptblock] $Condition,
        [Parameter(Mandatory)] [string] $Because,
        [double] $TimeoutSeconds = 30
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSeconds s waiting until $Because." }
        Start-Sleep -Milliseconds 20
    }
}

# Stops and forgets every session this runspace started; for AfterEach/AfterAll.
function Stop-AllChatSessions {
    Get-ChatSession | Remove-ChatSession -Confirm:$false -ErrorAction SilentlyContinue
}

# Two linked sessions, ann and ben (ben joined through ann), for tests that need a chat.
function New-ChatPair {
    $ann = Start-ChatPeer -UserName ann -Port 0
    $ben = Start-ChatPeer -UserName ben -Port 0 -Peer "127.0.0.1:$($ann.Port)"
    Wait-Until { $ann.PeerCount -eq 1 -and $ben.PeerCount -eq 1 } -Because 'ann and ben are linked'
    [pscustomobject]@{ Ann = $ann; Ben = $ben }
}

# A port with nothing listening on it: bound, then released.
function Get-ClosedPort {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
}

# Runs a script in a new pwsh process (the same PowerShell as this one) and returns its output lines; a process still
# running after -TimeoutSeconds is killed and reported as TimedOut.
function Invoke-FreshPwsh {
    param([Parameter(Mandatory)] [string] $Script, [double] $TimeoutSeconds = 120)
    $exe = [Environment]::ProcessPath
    $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($argument in '-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))) {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $timedOut = -not $process.WaitForExit([int]($TimeoutSeconds * 1000))
        if ($timedOut) { $process.Kill($true); $process.WaitForExit() }
        [pscustomobject]@{
            TimedOut = $timedOut
            ExitCode = if ($timedOut) { $null } else { $process.ExitCode }
            Output   = @($stdout.Result -split "\r?\n" | Where-Object { $_ -ne '' })
            Errors   = $stderr.Result
        }
    }
    finally {
        $process.Dispose()
    }
}

# The completion texts TabExpansion2 offers at the end of $Line.
function Get-Completion {
    param([Parameter(Mandatory)] [string] $Line)
    (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText
}
