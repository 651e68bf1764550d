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
#>
param(
    [string[]] $Phase = @('*'),
    [string] $ReportPath = (Join-Path $PSScriptRoot '..' '..' 'docs' 'faults-report.md'),
    [string] $Folder = (Join-Path ([System.IO.Path]::GetTempPath()) 'pgc-faults')
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'FaultHarness.ps1')
. (Join-Path $PSScriptRoot 'FaultPhases.ps1')

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

$results | Format-Table Phase, Verdict, Expected, Lost, Duplicates, OutOfOrder, Left, Joined, MeshSeconds, Dropped -AutoSize | Out-Host
foreach ($result in $results | Where-Object Verdict -eq 'FAIL') { Write-Host "$($result.Phase): $($result.Problems -join '; ')" }

function Format-Cell($value) { if ($null -eq $value) { "> $FaultMeshLimitSeconds" } else { "$value" } }
$lines = [System.Collections.Generic.List[string]]::new()
$lines.Add('# Fault suite report')
$lines.Add('')
$lines.Add("Run of ``tests/faults/Invoke-FaultSuite.ps1`` on $($started.ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC, commit $(& git -C $root rev-parse --short HEAD), " +
    "$([math]::Round(((Get-Date) - $started).TotalMinutes, 1)) min. Five hosts, one pwsh peer each sending every 100-200 ms. " +
    'How to read it and what is asserted: [faults.md](faults.md).')
$lines.Add('')
$lines.Add('| Phase | In CI | Verdict | Deliveries expected | Lost | Duplicates | Out of order | Left | Joined | Mesh back (s) | Packets dropped by the fault layer |')
$lines.Add('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
foreach ($result in $results) {
    $ci = if (($specs | Where-Object Name -eq $result.Phase).Ci) { 'yes' } else { 'no' }
    $lines.Add("| $($result.Phase) | $ci | $($result.Verdict) | $($result.Expected) | $($result.Lost) | $($result.Duplicates) | $($result.OutOfOrder) | $($result.Left) | $($result.Joined) | $(Format-Cell $result.MeshSeconds) | $($result.Dropped) |")
}
foreach ($result in $results | Where-Object Verdict -eq 'FAIL') {
    $lines.Add('')
    $lines.Add("## $($result.Phase): FAIL")
    $lines.Add('')
    foreach ($problemText in $result.Problems) { $lines.Add("- $problemText") }
}
$lines.Add('')
Set-Content -LiteralPath $ReportPath -Value ($lines -join "`n") -NoNewline
Write-Host "Report: $ReportPath (peer logs were in $logs)"
if (@($results | Where-Object Verdict -eq 'FAIL').Count -gt 0) { exit 1 }
