#Requires -Version 7.4
<#
.SYNOPSIS
    The seed's own topology: P0 listens; P1 connects to P0; P2 connects to P0 and P1; they chat; P1 leaves; P0 and P2
    are told, and go on chatting.
.DESCRIPTION
    The two simulations of the system PSGroupChat grows from, finished: every peer must log every message of the others
    exactly once and in order, and when P1 leaves (Stop-ChatPeer -Reason) both P0 and P2 must be told once, in their
    logs and pipelines, with reason "graceful". Ports are chosen free at run time.
      chat         P0, P1 and P2 send MessageCount messages each, and every peer receives all of the others'.
      after-leave  once P1 has left, P0 and P2 send MessageCount messages each, which the other must receive.
    P2 dials P0 and P1 at once with Connect-ChatPeer while P0 also tells P2 and P1 about each other, so the link
    between P1 and P2 is dialed from both sides: exactly one must remain.
.PARAMETER MessageCount
    How many messages each sending peer sends in each phase.
.PARAMETER MessageSize
    The length of each message text, in characters (never shorter than its label, e.g. "P2 chat #17").
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
    ./tests/pester/scenarios/SeedTopology.ps1 -MessageCount 100
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 100000)] [int] $MessageCount = 100,
    [ValidateRange(1, 16384)] [int] $MessageSize = 100,
    [ValidateRange(1, 3600)] [double] $MeshTimeout = 30,
    [ValidateRange(1, 3600)] [double] $DeliveryTimeout = 60,
    [ValidateRange(2, 3600)] [double] $PeerTimeout = 10,
    [string] $LogFolder,
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
. ([System.IO.Path]::Combine($PSScriptRoot, 'common', 'ScenarioRun.ps1'))

$settings = [ordered]@{ PeerCount = 3; MessageCount = $MessageCount; MessageSize = $MessageSize }
$run = New-ScenarioRun -Name SeedTopology -Parameters $settings -LogFolder $LogFolder -ModulePath $ModulePath -PeerTimeout $PeerTimeout
$names = [string[]]@('P0', 'P1', 'P2')
$remaining = [string[]]@('P0', 'P2')
$reason = 'P1 signs off'
Invoke-ScenarioRun -Run $run -Steps {
    $null = Start-ScenarioPeer -Run $run -UserName P0
    $null = Start-ScenarioPeer -Run $run -UserName P1 -Through P0
    $null = Start-ScenarioPeer -Run $run -UserName P2 -Through P0, P1
    Wait-ScenarioMesh -Run $run -Members $names -Seconds $MeshTimeout
    Add-ScenarioMeshNotice -Run $run -Members $names

    Send-ScenarioMessage -Run $run -Senders $names -Audience $names -Count $MessageCount -Size $MessageSize -Phase chat
    $null = Wait-ScenarioDelivery -Run $run -Seconds $DeliveryTimeout

    Stop-ChatPeer -Session $run.Peers['P1'] -Reason $reason
    Add-ScenarioNotice -Run $run -Observers $remaining -Subject P1 -Kind Left -Reason graceful -Text $reason
    Send-ScenarioMessage -Run $run -Senders $remaining -Audience $remaining -Count $MessageCount -Size $MessageSize -Phase after-leave
    $null = Wait-ScenarioDelivery -Run $run -Seconds $DeliveryTimeout
    $null = Wait-ScenarioNotice -Run $run -Seconds $DeliveryTimeout
}
