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
        foreach ($peer in $peers.Values) {
            Wait-PeerNotice -Observers $peer -Subject ($peers.Keys | Where-Object { $_ -ne $peer.Name })[0] -Kind Joined
            Wait-PeerNotice -Observers $peer -Subject ($peers.Keys | Where-Object { $_ -ne $peer.Name })[1] -Kind Joined
        }
    }

    It 'delivers every message sent before the crash to every other peer, once and in order' {
        $done = foreach ($peer in $peers.Values) { Send-PeerCommand $peer "send $count before-crash" }
        Wait-PeerDone -DoneFile $done -Peers $peers.Values
        Wait-PeerMessages -Receivers $peers.Values -Senders $peers.Values -Label before-crash -Count $count
        foreach ($receiver in $peers.Values) {
            foreach ($sender in $peers.Values | Where-Object Name -ne $receiver.Name) {
                Get-PeerText $receiver $sender.Name before-crash | Should -Be (Get-ExpectedText $sender.Name before-crash $count) -Because "$($receiver.Name) must get $($sender.Name)'s messages once, in order"
            }
        }
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
        $survivors = $peers.P0, $peers.P2
        $done = foreach ($peer in $survivors) { Send-PeerCommand $peer "send $count after-crash" }
        Wait-PeerDone -DoneFile $done -Peers $survivors
        Wait-PeerMessages -Receivers $survivors -Senders $survivors -Label after-crash -Count $count
        Get-PeerText $peers.P0 P2 after-crash | Should -Be (Get-ExpectedText P2 after-crash $count)
        Get-PeerText $peers.P2 P0 after-crash | Should -Be (Get-ExpectedText P0 after-crash $count)
        foreach ($observer in $survivors) {
            @(Get-PeerInbox $observer | Where-Object Kind -eq Left).Count | Should -Be 1 -Because 'only P1 left, and it is reported once'
        }
    }

    It 'ends the surviving processes cleanly when they leave' {
        $done = foreach ($peer in $peers.P0, $peers.P2) { Send-PeerCommand $peer 'leave done' }
        Wait-PeerDone -DoneFile $done -Peers $peers.P0, $peers.P2
        foreach ($peer in $peers.P0, $peers.P2) {
            $result = Wait-PwshProcess $peer.Child -Seconds 60
            $result.ExitCode | Should -Be 0 -Because (Format-PwshResult $result)
        }
    }
}
