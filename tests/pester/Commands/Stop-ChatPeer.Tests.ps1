#Requires -Version 7.4

BeforeAll {
    . (Join-Path $PSScriptRoot 'CommandTestHelpers.ps1')
}

Describe 'Stop-ChatPeer' {
    AfterEach { Stop-AllChatSessions }

    It 'leaves the chat with a reason the others see' {
        $pair = New-ChatPair
        Stop-ChatPeer -Session $pair.Ben -Reason 'lunch'
        $pair.Ben.State | Should -Be 'Stopped'
        $left = Receive-ChatMessage -Session $pair.Ann -Kind Left -Wait -Count 1 -Timeout 30
        $left.Sender | Should -Be 'ben'
        $left.Reason | Should -Be 'graceful'
        $left.Text | Should -Be 'lunch'
    }

    It 'stops the sessions piped in, together, and writes them with -PassThru' {
        $null = Start-ChatPeer ann -Port 0
        $null = Start-ChatPeer ben -Port 0
        $stopped = Get-ChatSession | Stop-ChatPeer -PassThru
        $stopped.UserName | Should -Be 'ann', 'ben'
        $stopped.State | Should -Be 'Stopped', 'Stopped'
    }

    It 'stops the one running session when none is given' {
        $ann = Start-ChatPeer ann -Port 0
        Stop-ChatPeer
        $ann.State | Should -Be 'Stopped'
    }

    It 'does nothing with -WhatIf, and asks nothing with -Confirm:$false' {
        $ann = Start-ChatPeer ann -Port 0
        Stop-ChatPeer -Session $ann -WhatIf
        $ann.State | Should -Be 'Running'
        Stop-ChatPeer -Session $ann -Confirm:$false
        $ann.State | Should -Be 'Stopped'
    }

    It 'aborts as a crash would: the others see the link lost' {
        $pair = New-ChatPair
        Stop-ChatPeer -Session $pair.Ben -Abort
        $left = Receive-ChatMessage -Session $pair.Ann -Kind Left -Wait -Count 1 -Timeout 30
        $left.Reason | Should -Be 'connection lost'
    }

    It 'writes the leave to the verbose stream with -Verbose' {
        $pair = New-ChatPair
        $verbose = Stop-ChatPeer -Session $pair.Ben -Verbose 4>&1
        $verbose | Should -Not -BeNullOrEmpty
        $verbose | ForEach-Object { $_ | Should -BeOfType System.Management.Automation.VerboseRecord }
    }

    It 'refuses a remote member piped in with an error that says how to leave (issue 12.10)' {
        $pair = New-ChatPair
        Get-ChatPeer -Session $pair.Ann | Stop-ChatPeer -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'MemberIsNotASession,PSGroupChat.Commands.StopChatPeerCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].TargetObject.UserName | Should -Be 'ben'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match "Get-ChatSession -UserName 'ann' \| Stop-ChatPeer"
        $pair.Ann.State, $pair.Ben.State | Should -Be 'Running', 'Running'
    }

    It 'says so when no session runs' {
        $problem = { Stop-ChatPeer -ErrorAction Stop } | Should -Throw -PassThru
        $problem.FullyQualifiedErrorId | Should -Be 'NoChatSession,PSGroupChat.Commands.StopChatPeerCommand'
        $problem.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problem.ErrorDetails.RecommendedAction | Should -Match 'Start-ChatPeer'
    }

    It 'completes -Session with the sessions of the runspace' {
        $null = Start-ChatPeer ann -Port 0
        $null = Start-ChatPeer ben -Port 0
        Get-Completion 'Stop-ChatPeer -Session ' | Should -Be '(Get-ChatSession -UserName ann)', '(Get-ChatSession -UserName ben)'
        Get-Completion 'Stop-ChatPeer -Session b' | Should -Be '(Get-ChatSession -UserName ben)'
    }
}
