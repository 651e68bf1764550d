<#
.SYNOPSIS
    What the process simulations share: starting ChatPeerProcess.ps1 as a child pwsh, sending it commands, reading
    its inbox, and waiting for what must arrive.
#>

. (Join-Path $PSScriptRoot '..' 'PwshProcess.ps1')

function Start-PeerProcess {
    <# Starts peer $Name in a pwsh of its own and waits until it listens; returns Name, Child, Port, Folder, Steps. #>
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Folder, [string[]] $Peer = @())
    $arguments = @('-Name', $Name, '-Folder', $Folder, '-ModulePath', $PwshBuiltModule)
    if ($Peer.Count -gt 0) { $arguments += @('-Peer', ($Peer -join ',')) }
    $script = "& '$((Join-Path $PSScriptRoot 'ChatPeerProcess.ps1').Replace("'", "''"))' @args"
    $child = Start-PwshProcess -Script $script -Arguments $arguments -Folder $Folder
    $started = [pscustomobject]@{ Name = $Name; Child = $child; Port = 0; Folder = $Folder; Steps = 0 }
    $portFile = Join-Path $Folder "$Name.port"
    Wait-Condition -Seconds 90 -Because "$Name to listen" -Condition {
        if ($child.Process.HasExited) { throw "$Name ended before it listened: $(Format-PwshResult (Wait-PwshProcess $child))" }
        Test-Path -LiteralPath $portFile
    }
    $started.Port = [int] (Get-Content -LiteralPath $portFile -Raw)
    $started
}

function Send-PeerCommand {
    <# Gives a peer its next command (see ChatPeerProcess.ps1); returns the file whose existence says it is done. #>
    param([Parameter(Mandatory)] $Peer, [Parameter(Mandatory)] [string] $Command)
    $file = Join-Path $Peer.Folder "$($Peer.Name).$($Peer.Steps)"
    Set-Content -LiteralPath "$file.cmd.tmp" -Value $Command -NoNewline
    Move-Item -LiteralPath "$file.cmd.tmp" -Destination "$file.cmd"
    $Peer.Steps++
    "$file.done"
}

function Get-PeerInbox {
    <# Every entry the peer has taken from its inbox so far (complete lines only). #>
    param([Parameter(Mandatory)] $Peer)
    $path = Join-Path $Peer.Folder "$($Peer.Name).inbox.jsonl"
    if (-not (Test-Path -LiteralPath $path)) { return }
    $text = [System.IO.File]::ReadAllText($path)
    $whole = $text.Substring(0, $text.LastIndexOf("`n") + 1)
    foreach ($line in $whole -split "`n") { if ($line) { $line | ConvertFrom-Json } }
}

function Get-PeerText {
    <# The texts of the messages $Peer received from $Sender with $Label, in arrival order. #>
    param([Parameter(Mandatory)] $Peer, [Parameter(Mandatory)] [string] $Sender, [Parameter(Mandatory)] [string] $Label)
    @(Get-PeerInbox $Peer | Where-Object { $_.Kind -eq 'Message' -and $_.Sender -eq $Sender -and $_.Text -like "$Sender $Label #*" }).Text
}

function Get-ExpectedText {
    param([string] $Sender, [string] $Label, [int] $Count)
    @(foreach ($i in 1..$Count) { "$Sender $Label #$i" })
}

function Wait-PeerMessages {
    <# Waits until every receiver has every one of the senders' $Count messages labelled $Label. #>
    param([Parameter(Mandatory)] [object[]] $Receivers, [Parameter(Mandatory)] [object[]] $Senders, [string] $Label, [int] $Count)
    foreach ($receiver in $Receivers) {
        foreach ($sender in $Senders | Where-Object Name -ne $receiver.Name) {
            Wait-Condition -Seconds 90 -Because "$($receiver.Name) to receive $Count '$Label' messages of $($sender.Name)" -Condition {
                @(Get-PeerText $receiver $sender.Name $Label).Count -ge $Count
            } -Detail { "it has $(@(Get-PeerText $receiver $sender.Name $Label).Count)" }
        }
    }
}

function Get-PeerNotice {
    <# The Joined/Left notices $Peer received about $Subject. #>
    param([Parameter(Mandatory)] $Peer, [Parameter(Mandatory)] [string] $Subject, [Parameter(Mandatory)] [string] $Kind)
    @(Get-PeerInbox $Peer | Where-Object { $_.Kind -eq $Kind -and $_.Sender -eq $Subject })
}

function Wait-PeerNotice {
    param([Parameter(Mandatory)] [object[]] $Observers, [Parameter(Mandatory)] [string] $Subject, [Parameter(Mandatory)] [string] $Kind)
    foreach ($observer in $Observers) {
        Wait-Condition -Seconds 90 -Because "$($observer.Name) to be told that $Subject $($Kind.ToLower())" -Condition {
            @(Get-PeerNotice $observer $Subject $Kind).Count -ge 1
        }
    }
}

function Wait-PeerDone {
    param([Parameter(Mandatory)] [string[]] $DoneFile, [object[]] $Peers)
    foreach ($file in $DoneFile) {
        Wait-Condition -Seconds 90 -Because "$(Split-Path $file -Leaf) to be written" -Condition {
            foreach ($peer in $Peers) {
                if ($peer.Child.Process.HasExited -and -not (Test-Path -LiteralPath $file) -and $file -like "*$($peer.Name).*") {
                    throw "$($peer.Name) ended before it finished its command: $(Format-PwshResult (Wait-PwshProcess $peer.Child))"
                }
            }
            Test-Path -LiteralPath $file
        }
    }
}

function Assert-PeerExchange {
    <# Every peer of $Peers sends $Count messages labelled $Label; each must get every other's, once and in order.
       Then each must have seen exactly one departure ($Departures: the one the scenario caused). #>
    param([Parameter(Mandatory)] [object[]] $Peers, [Parameter(Mandatory)] [string] $Label, [int] $Count, [int] $Departures = 1)
    $done = foreach ($peer in $Peers) { Send-PeerCommand $peer "send $Count $Label" }
    Wait-PeerDone -DoneFile $done -Peers $Peers
    Wait-PeerMessages -Receivers $Peers -Senders $Peers -Label $Label -Count $Count
    foreach ($receiver in $Peers) {
        foreach ($sender in $Peers | Where-Object Name -ne $receiver.Name) {
            Get-PeerText $receiver $sender.Name $Label | Should -Be (Get-ExpectedText $sender.Name $Label $Count) -Because "$($receiver.Name) must get $($sender.Name)'s '$Label' messages once, in order"
        }
        @(Get-PeerInbox $receiver | Where-Object Kind -eq Left).Count | Should -Be $Departures -Because "$($receiver.Name) must be told of each departure once, and of no other"
    }
}

function Stop-PeerProcessGracefully {
    <# Asks each peer to leave, and expects its process to end cleanly. #>
    param([Parameter(Mandatory)] [object[]] $Peers)
    foreach ($peer in $Peers) { $null = Send-PeerCommand $peer 'leave done' }
    foreach ($peer in $Peers) {
        $result = Wait-PwshProcess $peer.Child -Seconds 60
        $result.ExitCode | Should -Be 0 -Because (Format-PwshResult $result)
    }
}

function Wait-PeerMesh {
    <# Waits until every peer was told that every other joined. #>
    param([Parameter(Mandatory)] [object[]] $Peers)
    foreach ($observer in $Peers) {
        foreach ($other in $Peers | Where-Object Name -ne $observer.Name) { Wait-PeerNotice -Observers $observer -Subject $other.Name -Kind Joined }
    }
}
