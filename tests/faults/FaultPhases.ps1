# The fault suite's phases, in the order the whole suite runs them. Ci marks the fast subset that
# tests/pester/Faults runs on every CI run: the phases today's engine (protocol v1) passes; the others fail today
# (docs/faults-report.md, issue 14) and join CI once delivery v2 passes them. Expect is what the collector demands of
# Left/Joined (FaultHarness.ps1, Invoke-FaultPhase). Dot-source after FaultHarness.ps1.

function Get-FaultPhase {
    # $Chat is the caller's (Invoke-FaultPhase's); Side is the phase's own.
    $cut = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule (Get-PartitionRule $Chat.Net -Side $phase.Side) }
    @(
        [pscustomobject]@{ Name = 'delay 50 ms, jitter 40 ms'; Hold = 15; Expect = 'None'; Ci = $true
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ DelayMs = 50; JitterMs = 40 } } }
        [pscustomobject]@{ Name = 'loss 5%'; Hold = 15; Expect = 'None'; Ci = $true
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ LossPercent = 5; DelayMs = 2 } } }
        [pscustomobject]@{ Name = 'loss 15%'; Hold = 15; Expect = 'None'; Ci = $true
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ LossPercent = 15; DelayMs = 2 } } }
        [pscustomobject]@{ Name = 'reorder 20%, duplicate 5%'; Hold = 15; Expect = 'None'; Ci = $true
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ DelayMs = 5; ReorderPercent = 20; ReorderMs = 30; DuplicatePercent = 5 } } }
        # Out of CI: in 1 of 8 clean-clone runs it lost one message h3->h4 sent 3 s after the heal, a real loss of protocol v1
        # (issue 14), so it waits for v2 rather than make CI flaky.
        [pscustomobject]@{ Name = 'h3 cut off 2 s'; Hold = 2; Expect = 'None'; Ci = $false; Side = 3; Apply = $cut }
        [pscustomobject]@{ Name = 'h3 cut off 4 s'; Hold = 4; Expect = 'None'; Ci = $false; Side = 3; Apply = $cut }
        [pscustomobject]@{ Name = 'h3 cut off 10 s'; Hold = 10; Expect = 'Balanced'; Ci = $false; Side = 3; Apply = $cut }
        [pscustomobject]@{ Name = 'h3 cut off 15 s'; Hold = 15; Expect = 'Balanced'; Ci = $false; Side = 3; Apply = $cut }
        [pscustomobject]@{ Name = 'split h1 h2 / h3 h4 h5, 10 s'; Hold = 10; Expect = 'Balanced'; Ci = $false; Side = @(1, 2); Apply = $cut }
        [pscustomobject]@{ Name = 'h5 reaches only h1 h2, 20 s'; Hold = 20; Expect = 'Balanced'; Ci = $false
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ From = 5; To = 3, 4; Drop = $true }, @{ From = 3, 4; To = 5; Drop = $true } } }
        [pscustomobject]@{ Name = 'h2 frozen (SIGSTOP) 10 s'; Hold = 10; Expect = 'Balanced'; Ci = $false
            Apply = { param($phase) & kill -STOP $Chat.Peers['h2'].Process.Id }
            Heal = { param($phase) & kill -CONT $Chat.Peers['h2'].Process.Id } }
        [pscustomobject]@{ Name = 'h4 killed (SIGKILL) and restarted'; Hold = 3; Expect = 'Restart'; Subject = 'h4'; Ci = $true
            Apply = { param($phase) $phase.KilledIncarnation = $Chat.Peers['h4'].Incarnation; $Chat.Peers['h4'].Process.Kill() }
            Heal = { param($phase) Start-FaultPeer $Chat 'h4' -Peer @('h1', 'h2', 'h3', 'h5') } }
        [pscustomobject]@{ Name = 'h3 cut off 220 s'; Hold = 220; Expect = 'Balanced'; Ci = $false; Side = 3; Apply = $cut }
    )
}
