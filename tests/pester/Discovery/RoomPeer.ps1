# One person on one host of the test LAN: types only `Start-ChatPeer -UserName <name> -Room <room>`, then reports what
# it sees to a state file (JSON, replaced whole) until the test creates "<state>.stop". While "<state>.talk" exists it
# sends a numbered message on every round, so that the test can count what arrives.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $UserName,
    [Parameter(Mandatory)] [string] $Room,
    [Parameter(Mandatory)] [string] $State,
    [string] $Secret,
    [string] $ListenAddress
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$start = @{ UserName = $UserName; Room = $Room }
if ($Secret) { $start.SharedSecret = ConvertTo-SecureString $Secret -AsPlainText -Force }
if ($ListenAddress) { $start.ListenAddress = $ListenAddress }

$session = Start-ChatPeer @start -WarningVariable warned -WarningAction SilentlyContinue
$started = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
$joined = @{}
$received = @{}
$sent = 0
while (-not (Test-Path "$State.stop")) {
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
    $peers = @(Get-ChatPeer -Session $session | Where-Object State -eq Connected | ForEach-Object UserName)
    foreach ($peer in $peers) { if (-not $joined.ContainsKey($peer)) { $joined[$peer] = $now } }
    foreach ($entry in @(Receive-ChatMessage -Session $session -Kind Message)) { $received[$entry.Sender] = 1 + [int]$received[$entry.Sender] }
    if (Test-Path "$State.talk") { $null = Send-ChatMessage -Session $session -Message "tick $sent from $UserName"; $sent++ }
    [ordered]@{
        user = $UserName; port = $session.Port; peerId = $session.PeerId; started = $started; now = $now
        peers = $peers; joined = $joined; received = $received; sent = $sent
        unavailable = $session.Presence.Unavailable; warnings = @($warned | ForEach-Object Message); dials = $session.Presence.DialsStarted
    } | ConvertTo-Json -Compress | Set-Content "$State.tmp"
    [IO.File]::Move("$State.tmp", $State, $true) # one rename: Move-Item -Force deletes the old file first, and a reader may land in between
    Start-Sleep -Milliseconds 100
}
Stop-ChatPeer -Session $session -Reason 'test over'
Set-Content "$State.done" 'stopped'
