#Requires -Version 7.4
<#
.SYNOPSIS
    Graceful leave: one of N peers calls Stop-ChatPeer; every other peer's log and pipeline must show exactly one "left"
    notice for it, reason graceful, and the traffic among the others must go on undisturbed.
.DESCRIPTION
    Starts P0..P(N-1) (each joining through the one before it) and waits for the full mesh. Then:
      before-leave   every peer sends MessageCount messages, and every peer receives all of the others'.
      while-leaving  every peer sends MessageCount more messages, and the leaver (P1) leaves at once with
                     Stop-ChatPeer -Reason: its last messages are still queued, and the others' still arriving at it,
                     when it goes.
      after-leave    the others send MessageCount messages each.
    A graceful leave sends what is queued before it closes, so every message P1 sent must reach every other peer;
    every message of the others must reach every other remaining peer. Each remaining peer must be told once, in its
    log and in its pipeline, that P1 left with reason "graceful" and the text given to -Reason.
.PARAMETER PeerCount
    How many peers (at least 3, so that traffic among the remaining ones can be checked).
.PARAMETER MessageCount
    How many messages each sending peer sends in each phase.
.PARAMETER MessageSize
    The length of each message text, in characters (never shorter than its label, e.g. "P3 after-leave #17").
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
    ./tests/pester/scenarios/GracefulLeave.ps1 -PeerCount 5 -MessageCount 50
#>
[CmdletBinding()]
param(
    [ValidateRange(3, 64)] [int] $PeerCount = 4,
    [ValidateRange(1, 100000)] [int] $MessageCount = 50,
    [ValidateRange(1, 16384)] [int] $MessageSize = 100,
    [ValidateRange(1, 3600)] [double] $MeshTimeout = 30,
    [ValidateRange(1, 3600)] [double] $DeliveryTimeout = 60,
    [ValidateRange(2, 3600)] [double] $PeerTimeout = 10,
    [string] $LogFolder,
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
. ([System.IO.Path]::Combine($PSScriptRoot, 'common', 'ScenarioRun.ps1'))

$settings = [ordered]@{ PeerCount = $PeerCount; MessageCount = $MessageCount; MessageSize = $MessageSize }
$run = New-ScenarioRun -Name GracefulLeave -Parameters $settings -LogFolder $LogFolder -ModulePath $ModulePath -PeerTimeout $PeerTimeout
$names = [string[]]@(for ($i = 0; $i -lt $PeerCount; $i++) { "P$i" })
$leaver = 'P1'
$rest = [string[]]@($names | Where-Object { $_ -ne $leaver })
$reason = 'P1 signs off'
Invoke-ScenarioRun -Run $run -Steps {
    Start-ScenarioMesh -Run $run -Members $names -Seconds $MeshTimeout

    Send-ScenarioMessage -Run $run -Senders $names -Audience $names -Count $MessageCount -Size $MessageSize -Phase before-leave
    $null = Wait-ScenarioDelivery -Run $run -Seconds $DeliveryTimeout

    # The leaver's receivers are all the others; the others' are the others but the leaver, who may be gone when they arrive.
    Send-ScenarioMessage -Run $run -Senders $names -Audience $rest -Count $MessageCount -Size $MessageSize -Phase while-leaving
    Stop-ChatPeer -Session $run.Peers[$leaver] -Reason $reason
    Add-ScenarioNotice -Run $run -Observers $rest -Subject $leaver -Kind Left -Reason graceful -Text $reason

    Send-ScenarioMessage -Run $run -Senders $rest -Audience $rest -Count $MessageCount -Size $MessageSize -Phase after-leave
    $null = Wait-ScenarioDelivery -Run $run -Seconds $DeliveryTimeout
    $null = Wait-ScenarioNotice -Run $run -Seconds $DeliveryTimeout
}
