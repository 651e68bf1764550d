#Requires -Version 7.4
# Pester 5. The graceful-leave simulation with every peer in a pwsh process of its own: P1 sends its last messages
# and leaves at once with Stop-ChatPeer -Reason; P0 and P2 must get every one of those messages and be told once
# that P1 left, reason "graceful" with its text, and keep chatting. docs/simulations.md explains it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PeerProcess.ps1')
    $count = 20
    $folder = Join-Path $TestDrive 'leave'
    New-Item -ItemType Directory -Path $folder | Out-Null
    $peers = [ordered]@{}
}

AfterAll {
    foreach ($peer in $peers.Values) { Stop-PwshProcess $peer.Child }
}

Describe 'Graceful leave, one process per peer' {
    It 'forms a full mesh of three processes, P2 joining through P1 only' {
        $peers.P0 = Start-PeerProcess -Name P0 -Folder $folder
        $peers.P1 = Start-PeerProcess -Name P1 -Folder $folder -Peer "127.0.0.1:$($peers.P0.Port)"
        $peers.P2 = Start-PeerProcess -Name P2 -Folder $folder -Peer "127.0.0.1:$($peers.P1.Port)"
        Wait-PeerMesh -Peers @($peers.Values)
    }

    It "delivers P1's last messages, sent just before it leaves, to P0 and P2" {
        $null = Send-PeerCommand $peers.P1 "send $count last-words"
        $left = Send-PeerCommand $peers.P1 'leave lunch break'
        Wait-PeerDone -DoneFile $left -Peers $peers.P1
        $exit = Wait-PwshProcess $peers.P1.Child -Seconds 60
        $exit.ExitCode | Should -Be 0 -Because (Format-PwshResult $exit)
        Wait-PeerMessages -Receivers $peers.P0, $peers.P2 -Senders $peers.P1 -Label last-words -Count $count
        foreach ($receiver in $peers.P0, $peers.P2) {
            Get-PeerText $receiver P1 last-words | Should -Be (Get-ExpectedText P1 last-words $count) -Because "$($receiver.Name) must get every message P1 sent before it left, once, in order"
        }
    }

    It 'tells P0 and P2 once each that P1 left, reason "graceful", with its text' {
        Wait-PeerNotice -Observers $peers.P0, $peers.P2 -Subject P1 -Kind Left
        foreach ($observer in $peers.P0, $peers.P2) {
            $left = Get-PeerNotice $observer P1 Left
            $left.Count | Should -Be 1 -Because "$($observer.Name) must be told once"
            $left[0].Reason | Should -Be 'graceful'
            $left[0].Text | Should -Be 'lunch break'
        }
    }

    It 'lets P0 and P2 go on chatting without losing a message' {
        Assert-PeerExchange -Peers $peers.P0, $peers.P2 -Label after-leave -Count $count
    }

    It 'ends the remaining processes cleanly when they leave' {
        Stop-PeerProcessGracefully -Peers $peers.P0, $peers.P2
    }
}
