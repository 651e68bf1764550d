# One member of the fault suite, in a pwsh process of its own on one host of the fault network. It joins through -Peer,
# writes <Name>.<Incarnation>.id (its peer id) and <Name>.port once it listens, then every 100-200 ms sends
# "<Name> <Incarnation> <k>" (k = 1, 2, ...) unless <Name>.quiet exists, and logs as JSON lines, each whole with its
# newline:
#   <Name>.sent.jsonl  {t, inc, k, seq}                  after Send-ChatMessage -PassThru returned (seq: the engine's)
#   <Name>.recv.jsonl  {t, rinc, kind, sender, id, seq, text, reason, ...}  every inbox entry (t: the engine's
#                      ReceivedAt; rinc: the receiving incarnation; id: the sender's peer id; every other scalar property the entry has, under its own name, so
#                      that a notice kind the engine adds (a loss notice and its counts) is logged without a change here)
#   <Name>.warn.jsonl  {t, inc, text}                    every warning Send-ChatMessage gave (e.g. "no members")
#   <Name>.state       {t, inc, connected, listed}        the members Get-ChatPeer lists as Connected and heard from within 2.5 s, and every entry
#                      it lists as "name:State" (a stale duplicate shows as a name listed twice); replaced whole
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
# Each host has its own identity key (and known_peers beside it), kept across a restart as a user's would be, and never
# in the real home of whoever runs the suite.
$start = @{ UserName = $Name; ListenAddress = $Address; LogPath = "$base.$Incarnation.log.jsonl"; Identity = "$base.identity/identity.key" }
$peers = @($Peer -split ',' | Where-Object { $_ })
if ($peers.Count -gt 0) { $start.Peer = $peers }
$session = Start-ChatPeer @start
Set-Content -LiteralPath "$base.$Incarnation.id" -Value $session.PeerId -NoNewline
Set-Content -LiteralPath "$base.port.tmp" -Value $session.Port -NoNewline
[IO.File]::Move("$base.port.tmp", "$base.port", $true) # one rename (Move-Item -Force deletes first; a reader could land in between)

# The properties every entry has, logged under short names above; any other scalar one is logged as it is named.
$known = 'Kind', 'SessionUser', 'Sender', 'SenderId', 'Text', 'Sequence', 'ReceivedAt', 'Time', 'Reason', 'SentAt', 'Recipients', 'IsDirect', 'IsAction', 'IsOwn', 'Id'
function ConvertTo-FaultLine($entry) {
    $line = [ordered]@{ t = $entry.ReceivedAt.ToUnixTimeMilliseconds(); rinc = $Incarnation; kind = "$($entry.Kind)"; sender = $entry.Sender; id = $entry.SenderId
        seq = $entry.Sequence; text = $entry.Text; reason = $entry.Reason }
    foreach ($property in $entry.PSObject.Properties) {
        if ($property.Name -in $known -or $null -eq $property.Value) { continue }
        $value = $property.Value
        if ($value -is [string] -or $value -is [bool] -or $value -is [enum] -or $value.GetType().IsPrimitive) { $line[$property.Name] = if ($value -is [enum]) { "$value" } else { $value } }
        elseif ($value -is [DateTimeOffset]) { $line[$property.Name] = $value.ToUnixTimeMilliseconds() }
    }
    $line | ConvertTo-Json -Compress
}

function Get-Now { [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() }
$k = 0
$nextSend = 0
$nextState = 0
while (-not (Test-Path -LiteralPath "$base.stop")) {
    $entries = @(Receive-ChatMessage -Session $session)
    if ($entries.Count -gt 0) {
        $lines = foreach ($entry in $entries) { ConvertTo-FaultLine $entry }
        [System.IO.File]::AppendAllText("$base.recv.jsonl", (($lines -join "`n") + "`n"))
    }
    $now = Get-Now
    if ($now -ge $nextSend -and -not (Test-Path -LiteralPath "$base.quiet")) {
        $k++
        $sent = Send-ChatMessage -Session $session -Message "$Name $Incarnation $k" -PassThru -WarningAction SilentlyContinue -WarningVariable warned
        foreach ($warning in $warned) { [System.IO.File]::AppendAllText("$base.warn.jsonl", (([ordered]@{ t = (Get-Now); inc = $Incarnation; text = "$warning" } | ConvertTo-Json -Compress) + "`n")) }
        [System.IO.File]::AppendAllText("$base.sent.jsonl", "{`"t`":$(Get-Now),`"inc`":$Incarnation,`"k`":$k,`"seq`":$(@($sent)[0].Sequence)}`n")
        $nextSend = $now + (Get-Random -Minimum 100 -Maximum 201)
    }
    if ($now -ge $nextState) {
        $listed = @(Get-ChatPeer -Session $session)
        # Connected and heard within 2.5 s (heartbeats come every second): a link still in TCP's back-off after a cut is
        # listed Connected until it times out, but it is not back.
        $connected = @($listed | Where-Object { $_.State -eq 'Connected' -and ([DateTimeOffset]::UtcNow - $_.LastSeen).TotalSeconds -lt 2.5 } | ForEach-Object UserName)
        [ordered]@{ t = $now; inc = $Incarnation; connected = $connected; listed = @($listed | ForEach-Object { "$($_.UserName):$($_.State)" }) } |
            ConvertTo-Json -Compress | Set-Content -LiteralPath "$base.state.tmp"
        [IO.File]::Move("$base.state.tmp", "$base.state", $true)
        $nextState = $now + 250
    }
    Start-Sleep -Milliseconds 20
}
Stop-ChatPeer -Session $session -Reason 'fault suite over'
