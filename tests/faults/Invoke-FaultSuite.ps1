#Requires -Version 7.4
<#
.SYNOPSIS
    The whole fault suite: five hosts in network namespaces behind the fault layer, one pwsh peer per host, every phase
    of FaultPhases.ps1 in turn; prints a table per phase and writes a Markdown report.
.DESCRIPTION
    Needs root, iproute2 and /dev/net/tun (Linux); says why and exits 2 where they are missing. Builds the module
    (dotnet build) when out/PSGroupChat is absent. Takes about 8 minutes. What it asserts: docs/faults.md.
.EXAMPLE
    dotnet pwsh -NoProfile tests/faults/Invoke-FaultSuite.ps1
.EXAMPLE
    dotnet pwsh -NoProfile tests/faults/Invoke-FaultSuite.ps1 -Phase 'loss*;h3 cut off 2 s' -ReportPath /tmp/report.md
.PARAMETER Baseline
    The results.json of an earlier run to show beside this one (by default protocol v1's, tests/faults/baseline-v1.json).
.PARAMETER Engine
    What the report calls the engine under test.
#>
param(
    [string[]] $Phase = @('*'),
    [string] $ReportPath = (Join-Path $PSScriptRoot '..' '..' 'docs' 'faults-report.md'),
    [string] $Folder = (Join-Path ([System.IO.Path]::GetTempPath()) 'pgc-faults'),
    [string] $Baseline = (Join-Path $PSScriptRoot 'baseline-v1.json'),
    [string] $Engine = 'protocol v2'
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'FaultHarness.ps1')
. (Join-Path $PSScriptRoot 'FaultPhases.ps1')
. (Join-Path $PSScriptRoot 'FaultReport.ps1')

$problem = Get-FaultNetProblem
if ($problem) { Write-Warning "The fault suite cannot run here: $problem"; exit 2 }
$root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..'))
$module = Join-Path $root 'out' 'PSGroupChat' 'PSGroupChat.psd1'
if (-not (Test-Path $module)) { & dotnet build $root -v q -nologo; if ($LASTEXITCODE) { throw 'dotnet build failed' } }
$Phase = @($Phase -split ';' | Where-Object { $_ })   # -File passes 'a*;b*' as one string
$specs = @(Get-FaultPhase | Where-Object { $name = $_.Name; @($Phase | Where-Object { $name -like $_ }).Count -gt 0 })
if ($specs.Count -eq 0) { throw "No phase matches '$($Phase -join "', '")'" }

$started = Get-Date
$chat = $null
try {
    $chat = New-FaultChat -Folder $Folder -Module $module
    foreach ($spec in $specs) {
        $result = Invoke-FaultPhaseSpec -Chat $chat -Spec $spec
        if ($null -eq $result.MeshSeconds) {
            Write-Host "$(Get-Date -Format HH:mm:ss) the chat stayed split: every peer restarts before the next phase"
            Reset-FaultChat $chat
        }
    }
    Wait-FaultDrain $chat
    # The phases' times beside the peers' logs, for a second look at a run.
    $chat.Phases | ConvertTo-Json -Depth 3 | Set-Content (Join-Path $chat.Net.Folder 'phases.json')
    $results = @(Measure-FaultChat $chat)
    $logs = $chat.Net.Folder
}
finally {
    Remove-FaultChat $chat
}

$results | Format-Table Phase, Verdict, Expected, Delivered, LostNoticed, LostSilent, Duplicates, OutOfOrder, Left, Joined, MeshSeconds, MeshLimit, Dropped -AutoSize | Out-Host
foreach ($result in $results | Where-Object Verdict -eq 'FAIL') { Write-Host "$($result.Phase): $($result.Problems -join '; ')" }

$run = [pscustomobject]@{ Started = $started.ToUniversalTime().ToString('yyyy-MM-dd HH:mm'); Minutes = [math]::Round(((Get-Date) - $started).TotalMinutes, 1)
    Commit = "$(& git -C $root rev-parse --short HEAD)"; Engine = $Engine; Bounds = $FaultBounds }
# The run's figures beside the peers' logs, and beside the report: a later run can show them as its baseline.
Save-FaultResults -Results $results -Run $run -Path (Join-Path $logs 'results.json')
Save-FaultResults -Results $results -Run $run -Path ([System.IO.Path]::ChangeExtension($ReportPath, '.results.json')) -NoPairs
$baselineRecord = if ($Baseline -and (Test-Path -LiteralPath $Baseline)) { Get-Content -Raw -LiteralPath $Baseline | ConvertFrom-Json } else { $null }
Write-FaultReport -Results $results -Specs $specs -Run $run -Baseline $baselineRecord -Path $ReportPath
Write-Host "Report: $ReportPath (peer logs and results.json in $logs)"
if (@($results | Where-Object Verdict -eq 'FAIL').Count -gt 0) { exit 1 }
