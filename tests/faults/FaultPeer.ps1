# One member of the fault suite, in a pwsh process of its own on one host of the fault network. It joins through -Peer,
# writes <Name>.port once it listens, then every 100-200 ms sends "<Name> <Incarnation> <k>" (k = 1, 2, ...) unless
# <Name>.quiet exists, and logs as JSON lines, each whole with its newline:
#   <Name>.sent.jsonl  {t, inc, k}                       after Send-ChatMessage returned
#   <Name>.recv.jsonl  {t, kind, sender, seq, text, reason}  every inbox entry (t: the engine's ReceivedAt)
#   <Name>.state       {t, inc, connected}                the members Get-ChatPeer lists as Connected (replaced whole)
# It leaves (Stop-ChatPeer) when <Name>.stop exists. t is Unix time in milliseconds; the hosts share one clock.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Name,
    [Parameter(Mandatory)] [string] $Folder,
    [Parameter(Mandatory)] [string] $Address,
    [int] $Incarnation = 1,
    [string] $Peer = ''
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$base = Join-Path $Folder $Name
$start = @{ UserName = $Name; ListenAddress = $Address; LogPath = "$base.$Incarnation.log.jsonl" }
$peers = @($Peer -split ',' | Where-Object { $_ })
if ($peers.Count -gt 0) { $start.Peer = $peers }
$session = Start-ChatPeer @start
Set-Content -LiteralPath "$base.port.tmp" -Value $session.Port -NoNewline
Move-Item -Force -LiteralPath "$base.port.tmp" -Destination "$base.port"

function Get-Now { [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() }
$k = 0
$nextSend = 0
$nextState = 0
while (-not (Test-Path -LiteralPath "$base.stop")) {
    $entries = @(Receive-ChatMessage -Session $session)
    if ($entries.Count -gt 0) {
        $lines = foreach ($entry in $entries) {
            [ordered]@{ t = $entry.ReceivedAt.ToUnixTimeMilliseconds(); kind = "$($entry.Kind)"; sender = $entry.Sender; seq = $entry.Sequence
                text = $entry.Text; reason = $entry.Reason } | ConvertTo-Json -Compress
        }
        [System.IO.File]::AppendAllText("$base.recv.jsonl", (($lines -join "`n") + "`n"))
    }
    $now = Get-Now
    if ($now -ge $nextSend -and -not (Test-Path -LiteralPath "$base.quiet")) {
        $k++
        Send-ChatMessage -Session $session -Message "$Name $Incarnation $k"
        [System.IO.File]::AppendAllText("$base.sent.jsonl", "{`"t`":$(Get-Now),`"inc`":$Incarnation,`"k`":$k}`n")
        $nextSend = $now + (Get-Random -Minimum 100 -Maximum 201)
    }
    if ($now -ge $nextState) {
        $connected = @(Get-ChatPeer -Session $session | Where-Object State -eq Connected | ForEach-Object UserName)
        [ordered]@{ t = $now; inc = $Incarnation; connected = $connected } | ConvertTo-Json -Compress | Set-Content -LiteralPath "$base.state.tmp"
        Move-Item -Force -LiteralPath "$base.state.tmp" -Destination "$base.state"
        $nextState = $now + 250
    }
    Start-Sleep -Milliseconds 20
}
Stop-ChatPeer -Session $session -Reason 'fault suite over'
