# The fault suite's phases, in the order the whole suite runs them, and the engine's bounds they are judged by. Ci marks
# the fast subset that tests/pester/Faults runs on every CI run. Expect is what the collector demands of Left/Joined on
# the pairs the fault cuts (FaultHarness.ps1, Invoke-FaultPhase); MeshLimit is the time, stated per phase, within which
# the full mesh must stand again after the heal. Dot-source after FaultHarness.ps1. What is asserted: docs/faults.md.

# The engine's documented bounds (protocol v2, issue 14: ChatSessionOptions' defaults, docs/protocol.md), which the
# verdicts follow.
$FaultBounds = [pscustomobject]@{
    # An outage this long or shorter is not a departure: no Left, no Joined (TCP's retransmission back-off after a
    # 10 s outage retransmits by 12.6 s, within the 15 s PeerTimeout).
    ToleratedOutageSeconds = 10
    # A member silent longer than this has been declared gone (PeerTimeout 15 s plus one 1 s heartbeat): one Left, and
    # one Joined when it returns.
    DetectionSeconds = 16
    # The history each member keeps per sender (HistoryLimit, HistoryAge): a message can be missed only when more
    # than this many messages, or messages older than this, were sent while the receiver was away; it then gets a
    # Missed notice.
    HistoryMessages = 5000
    HistorySeconds = 86400
    # The longest wait between two re-dials of a member lost without a leave (RedialSchedule.Cap): sets the mesh
    # limits after long cuts.
    RedialCapSeconds = 30
    # How the engine's loss notice reads in the peers' logs (FaultPeer.ps1 logs every scalar property by its name).
    LossNotice = @{ Kind = 'Missed'; Count = @('MissedCount'); From = @('MissedFrom'); To = @('MissedTo') }
}

function Get-OutageExpectation {
    # What an outage of -Seconds must cause: None up to the tolerated outage, Departure from a second past the
    # detection bound (the harness's timing), Either in between (no notice, or exactly one Left then one Joined).
    param([Parameter(Mandatory)] [double] $Seconds)
    if ($Seconds -le $FaultBounds.ToleratedOutageSeconds) { 'None' }
    elseif ($Seconds -ge $FaultBounds.DetectionSeconds + 1) { 'Departure' }
    else { 'Either' }
}

function Get-FaultPhase {
    # $Chat is the caller's (Invoke-FaultPhase's); Side is the phase's own.
    $cut = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule (Get-PartitionRule $Chat.Net -Side $phase.Side) }
    # After a long cut the re-dials are back-off capped: the mesh must be back within one capped wait, plus 15 s for
    # the dial, the handshakes and the member lists on this loaded 2-core machine.
    $longMesh = $FaultBounds.RedialCapSeconds + 15
    @(
        [pscustomobject]@{ Name = 'delay 50 ms, jitter 40 ms'; Hold = 15; Expect = 'None'; MeshLimit = 10; Ci = $true
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ DelayMs = 50; JitterMs = 40 } } }
        [pscustomobject]@{ Name = 'loss 5%'; Hold = 15; Expect = 'None'; MeshLimit = 10; Ci = $true
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ LossPercent = 5; DelayMs = 2 } } }
        [pscustomobject]@{ Name = 'loss 15%'; Hold = 15; Expect = 'None'; MeshLimit = 10; Ci = $true
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ LossPercent = 15; DelayMs = 2 } } }
        [pscustomobject]@{ Name = 'reorder 20%, duplicate 5%'; Hold = 15; Expect = 'None'; MeshLimit = 10; Ci = $true
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ DelayMs = 5; ReorderPercent = 20; ReorderMs = 30; DuplicatePercent = 5 } } }
        [pscustomobject]@{ Name = 'h3 cut off 2 s'; Hold = 2; Expect = (Get-OutageExpectation 2); MeshLimit = 15; Ci = $true; Side = 3; Apply = $cut }
        [pscustomobject]@{ Name = 'h3 cut off 4 s'; Hold = 4; Expect = (Get-OutageExpectation 4); MeshLimit = 15; Ci = $true; Side = 3; Apply = $cut }
        [pscustomobject]@{ Name = 'h3 cut off 10 s'; Hold = 10; Expect = (Get-OutageExpectation 10); MeshLimit = 30; Ci = $true; Side = 3; Apply = $cut }
        [pscustomobject]@{ Name = 'h3 cut off 15 s'; Hold = 15; Expect = (Get-OutageExpectation 15); MeshLimit = 30; Ci = $false; Side = 3; Apply = $cut }
        [pscustomobject]@{ Name = 'split h1 h2 / h3 h4 h5, 10 s'; Hold = 10; Expect = (Get-OutageExpectation 10); MeshLimit = 30; Ci = $false; Side = @(1, 2); Apply = $cut }
        # h5 stays a member throughout (h1 and h2 reach everyone), so no notice; what h5 and h3/h4 send each other must
        # arrive during the fault, through h1 or h2, except what was sent in its last 10 s.
        [pscustomobject]@{ Name = 'h5 reaches only h1 h2, 20 s'; Hold = 20; Expect = 'None'; MeshLimit = $longMesh; Ci = $false
            Cut = 'h5>h3', 'h5>h4', 'h3>h5', 'h4>h5'; Forward = $true; ForwardSeconds = 10
            Apply = { param($phase) Set-FaultPlan $Chat.Net -Phase $phase.Name -Rule @{ From = 5; To = 3, 4; Drop = $true }, @{ From = 3, 4; To = 5; Drop = $true } } }
        # A frozen process is not a departure: on resume it reads what arrived before judging anyone.
        [pscustomobject]@{ Name = 'h2 frozen (SIGSTOP) 10 s'; Hold = 10; Expect = 'None'; MeshLimit = 15; Ci = $true; Side = 2
            Apply = { param($phase) & kill -STOP $Chat.Peers['h2'].Process.Id }
            Heal = { param($phase) & kill -CONT $Chat.Peers['h2'].Process.Id } }
        [pscustomobject]@{ Name = 'h4 killed (SIGKILL) and restarted'; Hold = 3; Expect = 'Restart'; Subject = 'h4'; MeshLimit = 30; Ci = $true
            Apply = { param($phase) $phase.KilledIncarnation = $Chat.Peers['h4'].Incarnation; $Chat.Peers['h4'].Process.Kill() }
            Heal = { param($phase) Start-FaultPeer $Chat 'h4' -Peer @('h1', 'h2', 'h3', 'h5') } }
        # Cut off for longer than the detection bound, h3 has no member left: Send-ChatMessage warns it once.
        [pscustomobject]@{ Name = 'h3 cut off 220 s'; Hold = 220; Expect = (Get-OutageExpectation 220); MeshLimit = $longMesh; Ci = $false; Side = 3; Alone = 'h3'; Apply = $cut }
    )
}
