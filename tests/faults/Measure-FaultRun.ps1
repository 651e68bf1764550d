#Requires -Version 7.4
<#
.SYNOPSIS
    Judges a finished fault-suite run again from its logs (the folder Invoke-FaultSuite.ps1 names at its end): the same
    collector and today's bounds and demands (each phase's Expect is taken from FaultPhases.ps1 by name), no network
    needed. For a second look at a run, or after a change to the collector or the bounds.
.EXAMPLE
    dotnet pwsh -NoProfile tests/faults/Measure-FaultRun.ps1 -Folder /tmp/pgc-faults/net12345 -ReportPath /tmp/again.md
#>
param(
    [Parameter(Mandatory)] [string] $Folder,
    [string] $ReportPath,
    [string] $ResultsPath,
    [string] $Commit = 'unknown (judged again from its logs)',
    [string] $Baseline = (Join-Path $PSScriptRoot 'baseline-v1.json'),
    [string] $Engine = 'protocol v2'
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'FaultHarness.ps1')
. (Join-Path $PSScriptRoot 'FaultPhases.ps1')
. (Join-Path $PSScriptRoot 'FaultReport.ps1')

$phases = @(Get-Content -Raw (Join-Path $Folder 'phases.json') | ConvertFrom-Json)
$names = @(Get-ChildItem -Path $Folder -Filter 'h*.sent.jsonl' | ForEach-Object { ($_.Name -split '\.')[0] } | Sort-Object)
$chat = [pscustomobject]@{ Net = [pscustomobject]@{ Folder = $Folder }; Peers = [ordered]@{}; Phases = [System.Collections.Generic.List[object]]::new() }
foreach ($name in $names) { $chat.Peers[$name] = $name }
$specs = @(Get-FaultPhase)
foreach ($phase in $phases) {
    $spec = $specs | Where-Object Name -eq $phase.Name
    if ($spec) {
        $phase.Expect = $spec.Expect
        $phase | Add-Member -Force -NotePropertyName Alone -NotePropertyValue ($spec.PSObject.Properties['Alone'] ? $spec.Alone : $null)
    }
    $chat.Phases.Add($phase)
}
$results = @(Measure-FaultChat $chat)
$results | Format-Table Phase, Verdict, Expected, Delivered, LostNoticed, LostSilent, Duplicates, OutOfOrder, Left, Joined, MeshSeconds, MeshLimit -AutoSize | Out-Host
foreach ($result in $results | Where-Object Verdict -eq 'FAIL') { Write-Host "$($result.Phase): $($result.Problems -join '; ')" }
$first = @(Get-Content (Join-Path $Folder 'h1.sent.jsonl') -TotalCount 1 | ConvertFrom-Json)[0].t
$run = [pscustomobject]@{ Started = [DateTimeOffset]::FromUnixTimeMilliseconds($first).UtcDateTime.ToString('yyyy-MM-dd HH:mm')
    Minutes = [math]::Round(($phases[-1].End - $first) / 60000, 1); Commit = $Commit; Engine = $Engine; Bounds = $FaultBounds }
if ($ResultsPath) { Save-FaultResults -Results $results -Run $run -Path $ResultsPath -NoPairs }
if ($ReportPath) {
    $baselineRecord = if ($Baseline -and (Test-Path -LiteralPath $Baseline)) { Get-Content -Raw -LiteralPath $Baseline | ConvertFrom-Json } else { $null }
    Write-FaultReport -Results $results -Specs $specs -Run $run -Baseline $baselineRecord -Path $ReportPath
}
if (@($results | Where-Object Verdict -eq 'FAIL').Count -gt 0) { exit 1 }
