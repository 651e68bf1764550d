#Requires -Version 7.4
<#
.SYNOPSIS
    Broadcast: N peers in a full mesh each send M messages; every peer must log every message of every other peer
    exactly once, in each sender's order.
.DESCRIPTION
    Starts P0..P(N-1), each joining through the peer started before it, so that the mesh completes only through the
    members lists the peers exchange. Once every peer is linked to every other, the peers send in turn (P0 #1, P1 #1, ...,
    P0 #2, ...) until each has sent MessageCount messages. The scenario waits until every peer has received all the
    others' messages (or DeliveryTimeout passes), stops the peers, then analyses the JSON-lines logs they wrote.
.PARAMETER PeerCount
    How many peers (at least 2).
.PARAMETER MessageCount
    How many messages each peer sends.
.PARAMETER MessageSize
    The length of each message text, in characters (a text is never shorter than its label, e.g. "P3 broadcast #17").
.PARAMETER MeshTimeout
    Seconds the peers have to link to one another; the scenario throws, naming the missing links, when they do not.
.PARAMETER DeliveryTimeout
    Seconds the messages and notices have to arrive; what has not arrived by then is reported as missing.
.PARAMETER PeerTimeout
    The peers' -PeerTimeout: seconds of silence after which a member is reported as timed out.
.PARAMETER LogFolder
    Where each peer writes <UserName>.jsonl; by default a new folder under the temp folder. Only lines written during
    this run are analysed, so a folder can be reused.
.PARAMETER ModulePath
    The PSGroupChat module to import when it is not imported yet; by default the one the repository builds in out/.
.OUTPUTS
    PSGroupChat.ScenarioResult (see docs/simulations.md).
.EXAMPLE
    ./tests/pester/scenarios/Broadcast.ps1 -PeerCount 10 -MessageCount 100
#>
[CmdletBinding()]
param(
    [ValidateRange(2, 64)] [int] $PeerCount = 3,
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

$settings = [ordered]@{ PeerCount = $PeerCount; MessageCount = $MessageCount; MessageSize = $MessageSize }
$run = New-ScenarioRun -Name Broadcast -Parameters $settings -LogFolder $LogFolder -ModulePath $ModulePath -PeerTimeout $PeerTimeout
$names = [string[]]@(for ($i = 0; $i -lt $PeerCount; $i++) { "P$i" })
Invoke-ScenarioRun -Run $run -Steps {
    Start-ScenarioMesh -Run $run -Members $names -Seconds $MeshTimeout

    Send-ScenarioMessage -Run $run -Senders $names -Audience $names -Count $MessageCount -Size $MessageSize -Phase broadcast
    $null = Wait-ScenarioDelivery -Run $run -Seconds $DeliveryTimeout
    $null = Wait-ScenarioNotice -Run $run -Seconds $DeliveryTimeout
}
