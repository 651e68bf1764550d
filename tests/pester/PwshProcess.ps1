<#
.SYNOPSIS
    Child pwsh processes for the tests that need a fresh process (help, the README, the package, the process
    simulations): the pwsh of the running host, started with its output captured, always stopped by the test.
#>

$PwshRepositoryRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..'))
$PwshBuiltModule = Join-Path $PwshRepositoryRoot 'out' 'PSGroupChat' 'PSGroupChat.psd1'

function Get-PwshCommandLine {
    <# The executable and leading arguments that start the pwsh running this test: `dotnet pwsh` runs pwsh.dll
       through dotnet, an installed pwsh is its own executable. #>
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($process)
}

function Start-PwshProcess {
    <# Starts `pwsh -NoProfile -NonInteractive -File <a script holding $Script>` with $Arguments; stdout and stderr
       are read as they come, so the child never blocks on a full pipe. $Environment adds or (with $null) removes
       variables for the child only. #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $Arguments = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $PwshRepositoryRoot,
        [string] $Folder = [System.IO.Path]::GetTempPath()
    )
    $file = Join-Path $Folder ('child-' + [guid]::NewGuid().ToString('N') + '.ps1')
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8
    $commandLine = Get-PwshCommandLine
    $info = [System.Diagnostics.ProcessStartInfo]::new($commandLine[0])
    foreach ($argument in @($commandLine | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file) + $Arguments) {
        $info.ArgumentList.Add($argument)
    }
    $info.WorkingDirectory = $WorkingDirectory
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.RedirectStandardInput = $true
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $info.Environment.Remove($name) }
        else { $info.Environment[$name] = [string] $Environment[$name] }
    }
    $process = [System.Diagnostics.Process]::Start($info)
    $process.StandardInput.Close()
    [pscustomobject]@{
        Process    = $process
        Output     = $process.StandardOutput.ReadToEndAsync()
        Error      = $process.StandardError.ReadToEndAsync()
        ScriptFile = $file
    }
}

function Wait-PwshProcess {
    <# Waits for a child to end; one still running after $Seconds is killed (with its children) and reported as
       TimedOut. Returns ExitCode, Output, Error, TimedOut. #>
    param([Parameter(Mandatory)] $Child, [double] $Seconds = 120)
    $timedOut = -not $Child.Process.WaitForExit([int] ($Seconds * 1000))
    if ($timedOut) { Stop-PwshProcess $Child }
    $Child.Process.WaitForExit()
    [pscustomobject]@{
        ExitCode = $Child.Process.ExitCode
        Output   = $Child.Output.GetAwaiter().GetResult()
        Error    = $Child.Error.GetAwaiter().GetResult()
        TimedOut = $timedOut
    }
}

function Stop-PwshProcess {
    <# Kills a child (SIGKILL on Unix) and everything it started, if it still runs. #>
    param([Parameter(Mandatory)] $Child)
    if (-not $Child.Process.HasExited) {
        try { $Child.Process.Kill($true) } catch [System.InvalidOperationException] { }
    }
}

function Invoke-PwshProcess {
    <# Runs $Script in a fresh pwsh to its end (or kills it after $Seconds) and returns what Wait-PwshProcess does. #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $Arguments = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $PwshRepositoryRoot,
        [double] $Seconds = 120
    )
    $child = Start-PwshProcess -Script $Script -Arguments $Arguments -Environment $Environment -WorkingDirectory $WorkingDirectory
    try { Wait-PwshProcess -Child $child -Seconds $Seconds }
    finally {
        Stop-PwshProcess $child
        Remove-Item -LiteralPath $child.ScriptFile -Force -ErrorAction SilentlyContinue
    }
}

function Format-PwshResult {
    <# What a child did, for a failure message. #>
    param([Parameter(Mandatory)] $Result)
    "exit code $($Result.ExitCode)$(if ($Result.TimedOut) { ', killed after its time ran out' })`n--- stdout ---`n$($Result.Output)`n--- stderr ---`n$($Result.Error)"
}

function Wait-Condition {
    <# Polls $Condition until it returns true, for at most $Seconds; throws $Because (plus $Detail's text) otherwise. #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $Seconds = 60, [string] $Because = 'the condition', [scriptblock] $Detail)
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) {
            $more = if ($Detail) { "`n" + ((& $Detail) | Out-String) } else { '' }
            throw "Waited $Seconds s for $Because.$more"
        }
        Start-Sleep -Milliseconds 100   # the polling interval, not a wait for anything
    }
}
