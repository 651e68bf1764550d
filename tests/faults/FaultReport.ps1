# The fault suite's report: the collector's verdicts (FaultCollector.ps1) as Markdown, per phase, with a baseline run
# (another engine's results.json, e.g. protocol v1's) beside them. Dot-sourced by Invoke-FaultSuite.ps1.

function Format-FaultMeshCell {
    param($Result)
    if ($null -eq $Result.MeshSeconds) { "not within $($Result.MeshLimit)" } else { "$($Result.MeshSeconds) (≤ $($Result.MeshLimit))" }
}

function Format-FaultBaselineCell {
    # One phase of the baseline: lost (silently), Left/Joined, mesh back, and its verdict under today's assertions.
    param($Baseline)
    if (-not $Baseline) { return 'not run' }
    $lost = if ($Baseline.PSObject.Properties['LostSilent']) { "$($Baseline.Lost) lost ($($Baseline.LostSilent) silently)" } else { "$($Baseline.Lost) lost" }
    $mesh = if ($null -eq $Baseline.MeshSeconds) { 'mesh not back' } else { "mesh $($Baseline.MeshSeconds) s" }
    "$($Baseline.Verdict): $lost, $($Baseline.Duplicates) dup., L/J $($Baseline.Left)/$($Baseline.Joined), $mesh"
}

function Write-FaultReport {
    # Writes the report of one run to -Path. -Run describes it (Started, Minutes, Commit, Engine); -Baseline is the
    # content of a results.json of an earlier run ($null: no baseline column).
    param([Parameter(Mandatory)] [object[]] $Results, [Parameter(Mandatory)] [object[]] $Specs, [Parameter(Mandatory)] $Run,
        $Baseline, [Parameter(Mandatory)] [string] $Path)
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('# Fault suite report')
    $lines.Add('')
    $lines.Add("Run of ``tests/faults/Invoke-FaultSuite.ps1`` on $($Run.Started) UTC, commit $($Run.Commit) ($($Run.Engine)), $($Run.Minutes) min. " +
        'Five hosts, one pwsh peer each sending every 100-200 ms, with Start-ChatPeer''s defaults: every link in TLS, each host with an identity key of its own. ' +
        'What each phase does, what is asserted and the bounds: [faults.md](faults.md).')
    if ($Baseline) {
        $lines.Add('')
        $lines.Add("Beside it: the baseline, $($Baseline.Run.Engine) at commit $($Baseline.Run.Commit) ($($Baseline.Run.Started) UTC), judged by the same assertions.")
    }
    $lines.Add('')
    $lines.Add("Verdict: $(@($Results | Where-Object Verdict -eq 'PASS').Count) of $($Results.Count) phases pass.")
    $lines.Add('')
    $header = '| Phase | In CI | Left/Joined demanded | Verdict | Sent | Deliveries expected | Delivered | Lost with notice | Lost silently | Duplicates | Out of order | Left | Joined | Left after (s, slowest cut pair) | Mesh back after heal (s, limit) | Packets dropped |'
    $rule = '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |'
    if ($Baseline) { $header += ' Baseline |'; $rule += ' --- |' }
    $lines.Add($header)
    $lines.Add($rule)
    foreach ($result in $Results) {
        $spec = $Specs | Where-Object Name -eq $result.Phase
        $ci = if ($spec.Ci) { 'yes' } else { 'no' }
        $row = "| $($result.Phase) | $ci | $($result.Expect) | **$($result.Verdict)** | $($result.Sent) | $($result.Expected) | $($result.Delivered) | $($result.LostNoticed) | $($result.LostSilent) | " +
            "$($result.Duplicates) | $($result.OutOfOrder) | $($result.Left) | $($result.Joined) | $(if ($null -ne $result.LeftAfter) { $result.LeftAfter } else { '-' }) | $(Format-FaultMeshCell $result) | $($result.Dropped) |"
        if ($Baseline) { $row += " $(Format-FaultBaselineCell ($Baseline.Results | Where-Object Phase -eq $result.Phase)) |" }
        $lines.Add($row)
    }
    foreach ($result in $Results | Where-Object Verdict -eq 'FAIL') {
        $lines.Add('')
        $lines.Add("## $($result.Phase): FAIL")
        $lines.Add('')
        foreach ($problem in $result.Problems) { $lines.Add("- $problem") }
    }
    $lines.Add('')
    Set-Content -LiteralPath $Path -Value ($lines -join "`n") -NoNewline
}

function Save-FaultResults {
    # Writes a run's figures (Run, the phases' Results, and the pairs' figures unless -NoPairs) as JSON: a later run
    # shows them as its baseline (-Baseline of Invoke-FaultSuite.ps1).
    param([Parameter(Mandatory)] [object[]] $Results, [Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [string] $Path, [switch] $NoPairs)
    $record = [ordered]@{ Run = $Run; Results = @($Results | Select-Object * -ExcludeProperty Pairs) }
    if (-not $NoPairs) { $record.Pairs = @($Results | ForEach-Object { $phaseName = $_.Phase; $_.Pairs | Select-Object @{ n = 'Phase'; e = { $phaseName } }, * }) }
    [pscustomobject]$record | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $Path
}
