#Requires -Version 7.4
<#
.SYNOPSIS
    Churn: stable peers exchange messages while other peers join and leave, round after round; nothing may be lost or
    duplicated between the stable peers, and each stable peer must be told once of every join and every leave.
.DESCRIPTION
    Starts the stable peers P0..P(N-1) and waits for their mesh. Then, in each of Rounds rounds:
      - each churn peer C<c>r<round> starts and joins through one stable peer (a different one each time), and right
        after each join every stable peer sends MessageCount messages, while the mesh is still forming;
      - once the churn peers are linked to every stable peer (and to each other), each sends MessageCount messages;
      - each churn peer leaves (Stop-ChatPeer -Reason, or Stop-ChatPeer -Abort with -Crash), and right after each leave
        every stable peer sends MessageCount messages, while the leave is still spreading.
    Every stable peer's messages must reach every other stable peer, and every churn peer's messages every stable peer,
    exactly once and in order. Each churn peer has a name of its own, so a late notice cannot be mistaken for another's.
.PARAMETER PeerCount
    How many stable peers (at least 2).
.PARAMETER ChurnPeerCount
    How many peers join and leave in each round.
.PARAMETER Rounds
    How many rounds of joins and leaves.
.PARAMETER MessageCount
    How many messages each stable peer sends after each join and each leave, and each churn peer sends once linked.
.PARAMETER MessageSize
    The length of each message text, in characters (never shorter than its label, e.g. "P0 round2-leave1 #7").
.PARAMETER Crash
    The churn peers crash (Stop-ChatPeer -Abort: sockets reset, no leave notice) instead of leaving; the stable peers
    must then be told once that each left with reason "connection lost". Since a crash loses what the crashed peer had
    queued, the round waits for the churn peers' messages to arrive before it aborts them.
.PARAMETER MeshTimeout
    Seconds the peers have to link to one another; the scenario throws, naming the missing links, when they do not.
.PARAMETER DeliveryTimeout
    Seconds the messages and notices have to arrive (per wait); what has not arrived by then is reported as missing.
.PARAMETER PeerTimeout
    The peers' -PeerTimeout: seconds of silence after which a member is reported as timed out.
.PARAMETER LogFolder
    Where each peer writes <UserName>.jsonl; by default a new folder under the temp folder.
.PARAMETER ModulePath
    The PSGroupChat module to import when it is not imported yet; by default the one the repository builds in out/.
.OUTPUTS
    PSGroupChat.ScenarioResult (see docs/simulations.md).
.EXAMPLE
    ./tests/pester/scenarios/Churn.ps1 -PeerCount 4 -ChurnPeerCount 3 -Rounds 5
#>
[CmdletBinding()]
param(
    [ValidateRange(2, 64)] [int] $PeerCount = 3,
    [ValidateRange(1, 32)] [int] $ChurnPeerCount = 2,
    [ValidateRange(1, 1000)] [int] $Rounds = 3,
    [ValidateRange(1, 100000)] [int] $MessageCount = 10,
    [ValidateRange(1, 16384)] [int] $MessageSize = 100,
    [switch] $Crash,
    [ValidateRange(1, 3600)] [double] $MeshTimeout = 30,
    [ValidateRange(1, 3600)] [double] $DeliveryTimeout = 60,
    [ValidateRange(2, 3600)] [double] $PeerTimeout = 10,
    [string] $LogFolder,
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
. ([System.IO.Path]::Combine($PSScriptRoot, 'common', 'ScenarioRun.ps1'))

$settings = [ordered]@{
    PeerCount = $PeerCount; ChurnPeerCount = $ChurnPeerCount; Rounds = $Rounds; MessageCount = $MessageCount
    MessageSize = $MessageSize; Crash = $Crash.IsPresent
}
$run = New-ScenarioRun -Name Churn -Parameters $settings -LogFolder $LogFolder -ModulePath $ModulePath -PeerTimeout $PeerTimeout
$stable = [string[]]@(for ($i = 0; $i -lt $PeerCount; $i++) { "P$i" })
Invoke-ScenarioRun -Run $run -Steps {
    Start-ScenarioMesh -Run $run -Members $stable -Seconds $MeshTimeout

    for ($round = 1; $round -le $Rounds; $round++) {
        $joiners = [string[]]@(for ($c = 1; $c -le $ChurnPeerCount; $c++) { "C${c}r$round" })
        for ($c = 1; $c -le $ChurnPeerCount; $c++) {
            $null = Start-ScenarioPeer -Run $run -UserName $joiners[$c - 1] -Through $stable[($round + $c) % $PeerCount]
            Send-ScenarioMessage -Run $run -Senders $stable -Audience $stable -Count $MessageCount -Size $MessageSize -Phase "round$round-join$c"
        }
        Wait-ScenarioMesh -Run $run -Members ($stable + $joiners) -Seconds $MeshTimeout
        foreach ($joiner in $joiners) { Add-ScenarioNotice -Run $run -Observers $stable -Subject $joiner -Kind Joined }

        Send-ScenarioMessage -Run $run -Senders $joiners -Audience $stable -Count $MessageCount -Size $MessageSize -Phase "round$round-linked"
        if ($Crash) { $null = Wait-ScenarioDelivery -Run $run -Seconds $DeliveryTimeout }
        for ($c = 1; $c -le $ChurnPeerCount; $c++) {
            $joiner = $joiners[$c - 1]
            if ($Crash) {
                Stop-ChatPeer -Session $run.Peers[$joiner] -Abort
                Add-ScenarioNotice -Run $run -Observers $stable -Subject $joiner -Kind Left -Reason 'connection lost'
            }
            else {
                Stop-ChatPeer -Session $run.Peers[$joiner] -Reason "$joiner is done"
                Add-ScenarioNotice -Run $run -Observers $stable -Subject $joiner -Kind Left -Reason graceful -Text "$joiner is done"
            }
            Send-ScenarioMessage -Run $run -Senders $stable -Audience $stable -Count $MessageCount -Size $MessageSize -Phase "round$round-leave$c"
        }
    }
    $null = Wait-ScenarioDelivery -Run $run -Seconds $DeliveryTimeout
    $null = Wait-ScenarioNotice -Run $run -Seconds $DeliveryTimeout
}
