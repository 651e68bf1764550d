#Requires -Version 7.4

BeforeAll {
    . (Join-Path $PSScriptRoot 'CommandTestHelpers.ps1')
}

Describe 'Connect-ChatPeer' {
    AfterEach { Stop-AllChatSessions }

    It 'takes endpoints from the pipeline by value and writes each member linked' {
        $ann = Start-ChatPeer ann -Port 0
        $ben = Start-ChatPeer ben -Port 0
        $cat = Start-ChatPeer cat -Port 0
        $members = "127.0.0.1:$($ann.Port)", "[::1]:$($ben.Port)" | Connect-ChatPeer -Session $cat
        $members.UserName | Should -Be 'ann', 'ben'
        $members | Should -BeOfType PSGroupChat.ChatPeer
        Wait-Until { $ann.PeerCount -eq 2 -and $ben.PeerCount -eq 2 } -Because 'ann and ben linked through what cat told them'
    }

    It "takes a member's Endpoint by property name, and the session by value" {
        $pair = New-ChatPair
        $cat = Start-ChatPeer cat -Port 0
        $linked = Get-ChatPeer -Session $pair.Ben | Connect-ChatPeer -Session $cat
        $linked.UserName | Should -Be 'ann'
        $dan = Start-ChatPeer dan -Port 0
        ($dan | Connect-ChatPeer -Endpoint "127.0.0.1:$($pair.Ann.Port)").SessionUser | Should -Be 'dan'
    }

    It 'reports an unreachable endpoint as a ConnectionError targeting it, and dials the others' {
        $pair = New-ChatPair
        $cat = Start-ChatPeer cat -Port 0
        $closed = Get-ClosedPort
        $linked = Connect-ChatPeer -Session $cat -Endpoint "127.0.0.1:$closed", "127.0.0.1:$($pair.Ann.Port)" -ErrorVariable problems -ErrorAction SilentlyContinue
        $linked.UserName | Should -Be 'ann'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'EndpointUnreachable,PSGroupChat.Commands.ConnectChatPeerCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        "$($problems[0].TargetObject)" | Should -Be "127.0.0.1:$closed"
        $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'reports malformed endpoints before dialing, each targeting its text' {
        $ann = Start-ChatPeer ann -Port 0
        'nonsense', 'localhost:' | Connect-ChatPeer -Session $ann -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems.FullyQualifiedErrorId | Should -Be (@('MalformedEndpoint,PSGroupChat.Commands.ConnectChatPeerCommand') * 2)
        $problems.TargetObject | Should -Be 'nonsense', 'localhost:'
        $problems | ForEach-Object { $_.Exception.Message | Should -Match 'host:port' }
    }

    It 'says what to pass when several sessions run and none is given' {
        $null = Start-ChatPeer ann -Port 0
        $null = Start-ChatPeer ben -Port 0
        $problem = { Connect-ChatPeer -Endpoint 'localhost:1' -ErrorAction Stop } | Should -Throw -PassThru
        $problem.FullyQualifiedErrorId | Should -Be 'SeveralChatSessions,PSGroupChat.Commands.ConnectChatPeerCommand'
        $problem.ErrorDetails.RecommendedAction | Should -Match "-Session \(Get-ChatSession -UserName 'ann'\)" -Because 'the example names a session that exists'
    }

    It 'completes -Endpoint with known members and local sessions, never file names' {
        $pair = New-ChatPair
        $offered = Get-Completion 'Connect-ChatPeer -Endpoint '
        $offered | Should -Contain "'localhost:$($pair.Ann.Port)'"
        $offered | Should -Contain "'127.0.0.1:$($pair.Ann.Port)'"
        Stop-AllChatSessions
        Get-Completion 'Connect-ChatPeer -Endpoint ' | Should -BeNullOrEmpty -Because 'with nothing to offer it offers nothing, not the files here'
    }
}
