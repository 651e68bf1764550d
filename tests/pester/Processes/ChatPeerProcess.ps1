#Requires -Version 7.4
<#
.SYNOPSIS
    One chat peer in a pwsh process of its own, driven through files by tests/pester/Processes/*.Tests.ps1.
.DESCRIPTION
    Starts a peer on a free loopback port and writes <Name>.port once it listens (and has joined through -Peer).
    Every inbox entry is appended, as one JSON line (Kind, Sender, Text, Reason), to <Name>.inbox.jsonl. Command files
    <Name>.<n>.cmd (n = 0, 1, ...) are run in order, and <Name>.<n>.done is written after each:
      send <count> <label>   sends "<Name> <label> #1" .. "#<count>" to everyone
      leave <reason>         Stop-ChatPeer -Reason <reason>, then the process ends
    Every file is written whole (to a temporary name, then moved), so a reader never sees half of one.
#>
param(
    [Parameter(Mandatory)] [string] $Name,
    [Parameter(Mandatory)] [string] $Folder,
    [Parameter(Mandatory)] [string] $ModulePath,
    [string[]] $Peer = @()
)

$ErrorActionPreference = 'Stop'
Import-Module -Name $ModulePath

function Write-WholeFile {
    param([string] $Path, [string] $Value)
    Set-Content -LiteralPath "$Path.tmp" -Value $Value -NoNewline
    Move-Item -LiteralPath "$Path.tmp" -Destination $Path -Force
}

$Peer = @($Peer -split ',' | Where-Object { $_ })   # -File passes "a:1,b:2" as one string
$start = @{ UserName = $Name; ListenAddress = '127.0.0.1'; LogPath = (Join-Path $Folder "$Name.jsonl") }
if ($Peer.Count -gt 0) { $start.Peer = $Peer }
$session = Start-ChatPeer @start
Write-WholeFile (Join-Path $Folder "$Name.port") $session.Port

$inbox = Join-Path $Folder "$Name.inbox.jsonl"
$step = 0
while ($true) {
    # Blocks until something arrives or a second passes, so commands are picked up within about a second.
    $entries = @(Receive-ChatMessage -Session $session -Wait -Count 1 -Timeout 1) + @(Receive-ChatMessage -Session $session)
    if ($entries.Count -gt 0) {
        $lines = foreach ($entry in $entries) {
            [pscustomobject]@{ Kind = "$($entry.Kind)"; Sender = $entry.Sender; Text = $entry.Text; Reason = $entry.Reason } |
                ConvertTo-Json -Compress
        }
        # One write per batch, each line whole with its newline: the reader takes complete lines only.
        [System.IO.File]::AppendAllText($inbox, (($lines -join "`n") + "`n"))
    }

    $command = Join-Path $Folder "$Name.$step.cmd"
    if (-not (Test-Path -LiteralPath $command)) { continue }
    $verb, $rest = (Get-Content -LiteralPath $command -Raw).Trim() -split ' ', 2
    switch ($verb) {
        'send' {
            $count, $label = $rest -split ' ', 2
            foreach ($i in 1..[int] $count) { Send-ChatMessage -Session $session -Message "$Name $label #$i" }
        }
        'leave' { Stop-ChatPeer -Session $session -Reason $rest }
        default { throw "Unknown command '$verb' in $command" }
    }
    Write-WholeFile (Join-Path $Folder "$Name.$step.done") 'done'
    $step++
    if ($verb -eq 'leave') { break }
}
