#Requires -Version 7.4

BeforeAll {
    . (Join-Path $PSScriptRoot 'CommandTestHelpers.ps1')
}

Describe 'Get-ChatPeer' {
    BeforeEach { $pair = New-ChatPair }
    AfterEach { Stop-AllChatSessions }

    It 'describes each member, taking the session from the pipeline' {
        $peer = $pair.Ben | Get-ChatPeer
        $peer | Should -BeOfType PSGroupChat.ChatPeer
        $peer.UserName | Should -Be 'ann'
        $peer.Direction | Should -Be 'Outbound'
        $peer.State | Should -Be 'Connected'
        $peer.Endpoint.Host | Should -Be '127.0.0.1'
        $peer.SessionUser | Should -Be 'ben'
    }

    It 'takes the session by property name and filters by -UserName with wildcards' {
        $cat = Start-ChatPeer cat -Port 0 -Peer "127.0.0.1:$($pair.Ann.Port)"
        Wait-Until { $pair.Ann.PeerCount -eq 2 -and $cat.PeerCount -eq 2 } -Because 'a full mesh of three'
        ([pscustomobject]@{ Session = $cat } | Get-ChatPeer).UserName | Should -Be 'ann', 'ben'
        (Get-ChatPeer -Session $cat -UserName b*).UserName | Should -Be 'ben'
        Get-Completion "Get-ChatPeer -Session `$cat -UserName " | Should -Be 'ann', 'ben'
    }

    It 'shows its table and works with Select-Object and Format-Table' {
        $table = Get-ChatPeer -Session $pair.Ann | Format-Table | Out-String
        $table | Should -Match '(?m)^UserName\s+Endpoint\s+Direction\s+State'
        (Get-ChatPeer -Session $pair.Ann | Select-Object UserName, State).State | Should -Be 'Connected'
    }

    It 'reports a stopped session through the session error of the cmdlet that needs a running one' {
        Stop-ChatPeer -Session $pair.Ann
        $null = Start-ChatPeer cat -Port 0
        # ann's session is stopped and ben's is still running: with cat, two run, so Get-ChatPeer asks which.
        $problem = { Get-ChatPeer -ErrorAction Stop } | Should -Throw -PassThru
        $problem.FullyQualifiedErrorId | Should -Be 'SeveralChatSessions,PSGroupChat.Commands.GetChatPeerCommand'
        $problem.ErrorDetails.RecommendedAction | Should -Match "Get-ChatSession -UserName '(ben|cat)'"
    }
}
