#Requires -Version 7.4
<#
.SYNOPSIS
    Crash: one of N peers' connections are cut without a leave notice (Stop-ChatPeer -Abort resets every socket); every
    other peer must be told once, in its log and in its pipeline, that it left with reason "connection lost", and the
    traffic among the others must go on undisturbed.
.DESCRIPTION
    Starts P0..P(N-1) (each joining through the one before it) and waits for the full mesh. Then:
      before-crash    every peer sends MessageCount messages, and every peer receives all of the others'.
      while-crashing  the others send MessageCount messages each, and P1 is aborted at once, with those messages in
                      flight (some towards P1 itself).
      after-crash     the others send MessageCount messages each.
    A crash loses whatever the crashed peer had queued, so the scenario waits for the before-crash messages to arrive
    everywhere before it aborts P1; the while-crashing and after-crash messages must reach every other remaining peer.
    The remaining peers keep re-dialing P1 in the background (it never answers); that must not produce more notices.
.PARAMETER PeerCount
    How many peers (at least 3, so that traffic among the remaining ones can be checked).
.PARAMETER MessageCount
    How many messages each sending peer sends in each phase.
.PARAMETER MessageSize
    The length of each message text, in characters (never shorter than its label, e.g. "P3 after-crash #17").
.PARAMETER MeshTimeout
    Seconds the peers have to link to one another; the scenario throws, naming the missing links, when they do not.
.PARAMETER DeliveryTimeout
    Seconds the messages and notices have to arrive (per wait); what has not arrived by then is reported as missing.
.PARAMETER PeerTimeout
    The peers' -PeerTimeout. A reset is noticed at once, as "connection lost"; a peer timeout would mean it was not.
.PARAMETER LogFolder
    Where each peer writes <UserName>.jsonl; by default a new folder under the temp folder.
.PARAMETER ModulePath
    The PSGroupChat module to import when it is not imported yet; by default the one the repository builds in out/.
.OUTPUTS
    PSGroupChat.ScenarioResult (see docs/simulations.md).
.EXAMPLE
    ./tests/pester/scenarios/Crash.ps1 -PeerCount 5
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
$run = New-ScenarioRun -Name Crash -Parameters $settings -LogFolder $LogFolder -ModulePath $ModulePath -PeerTimeout $PeerTimeout
$names = [string[]]@(for ($i = 0; $i -lt $PeerCount; $i++) { "P$i" })
$victim = 'P1'
$rest = [string[]]@($names | Where-Object { $_ -ne $victim })
Invoke-ScenarioRun -Run $run -Steps {
    Start-ScenarioMesh -Run $run -Members $names -Seconds $MeshTimeout

    Send-ScenarioMessage -Run $run -Senders $names -Audience $names -Count $MessageCount -Size $MessageSize -Phase before-crash
    $null = Wait-ScenarioDelivery -Run $run -Seconds $DeliveryTimeout

    Send-ScenarioMessage -Run $run -Senders $rest -Audience $rest -Count $MessageCount -Size $MessageSize -Phase while-crashing
    Stop-ChatPeer -Session $run.Peers[$victim] -Abort
    Add-ScenarioNotice -Run $run -Observers $rest -Subject $victim -Kind Left -Reason 'connection lost'

    Send-ScenarioMessage -Run $run -Senders $rest -Audience $rest -Count $MessageCount -Size $MessageSize -Phase after-crash
    $null = Wait-ScenarioDelivery -Run $run -Seconds $DeliveryTimeout
    $null = Wait-ScenarioNotice -Run $run -Seconds $DeliveryTimeout
}
