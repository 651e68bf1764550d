#Requires -Version 7.4
# Pester 5. The crash simulation with every peer in a pwsh process of its own: P1's process is killed with SIGKILL
# (no Stop-ChatPeer, no leave notice, the kernel closes its sockets); P0 and P2 must each be told once that it left
# with reason "connection lost", and keep chatting without losing a message. docs/simulations.md explains it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PeerProcess.ps1')
    $count = 20
    $folder = Join-Path $TestDrive 'crash'
    New-Item -ItemType Directory -Path $folder | Out-Null
    $peers = [ordered]@{}
}

AfterAll {
    foreach ($peer in $peers.Values) { Stop-PwshProcess $peer.Child }
}

Describe 'Crash, one process per peer' {
    It 'forms a full mesh of three processes, P2 joining through P0 only' {
        $peers.P0 = Start-PeerProcess -Name P0 -Folder $folder
        $peers.P1 = Start-PeerProcess -Name P1 -Folder $folder -Peer "127.0.0.1:$($peers.P0.Port)"
        $peers.P2 = Start-PeerProcess -Name P2 -Folder $folder -Peer "127.0.0.1:$($peers.P0.Port)"
        Wait-PeerMesh -Peers @($peers.Values)
    }

    It 'delivers every message sent before the crash to every other peer, once and in order' {
        Assert-PeerExchange -Peers @($peers.Values) -Label before-crash -Count $count -Departures 0
    }

    It 'kills P1 with SIGKILL' {
        $peers.P1.Child.Process.Kill()   # SIGKILL on Unix: the process gets no chance to say goodbye
        $peers.P1.Child.Process.WaitForExit(30000) | Should -BeTrue
        if (-not $IsWindows) { $peers.P1.Child.Process.ExitCode | Should -Be 137 -Because '128 + 9 means killed by SIGKILL' }
    }

    It 'tells P0 and P2 once each that P1 left, with reason "connection lost"' {
        $survivors = $peers.P0, $peers.P2
        Wait-PeerNotice -Observers $survivors -Subject P1 -Kind Left
        foreach ($observer in $survivors) {
            $left = Get-PeerNotice $observer P1 Left
            $left.Count | Should -Be 1 -Because "$($observer.Name) must be told once"
            $left[0].Reason | Should -Be 'connection lost'
        }
    }

    It 'lets P0 and P2 go on chatting without losing a message' {
        Assert-PeerExchange -Peers $peers.P0, $peers.P2 -Label after-crash -Count $count
    }

    It 'ends the surviving processes cleanly when they leave' {
        Stop-PeerProcessGracefully -Peers $peers.P0, $peers.P2
    }
}
