#Requires -Version 7.4

BeforeAll {
    . (Join-Path $PSScriptRoot 'CommandTestHelpers.ps1')
}

Describe 'Send-ChatMessage' {
    BeforeEach { $pair = New-ChatPair }
    AfterEach { Stop-AllChatSessions }

    It 'sends each string piped in as its own message, in order' {
        'one', 'two', 'three' | Send-ChatMessage -Session $pair.Ann
        $texts = Receive-ChatMessage -Session $pair.Ben -Kind Message -Wait -Count 3 -Timeout 30 | ForEach-Object Text
        $texts | Should -Be 'one', 'two', 'three'
    }

    It 'sends on the one running session when -Session is left out' {
        Stop-ChatPeer -Session $pair.Ben
        'implicit' | Send-ChatMessage
        (Receive-ChatMessage -Session $pair.Ann -IncludeOwn -Kind Message).Text | Should -Be 'implicit'
    }

    It 'takes the session from the pipeline by value' {
        $sent = $pair.Ann | Send-ChatMessage 'piped session' -PassThru
        $sent.Text | Should -Be 'piped session'
        $sent.IsOwn | Should -BeTrue
    }

    It "forwards a received message's Text, not its ToString (issue 12.10)" {
        Send-ChatMessage -Session $pair.Ann 'hi'
        $m = Receive-ChatMessage -Session $pair.Ben -Kind Message -Wait -Count 1 -Timeout 30
        "$m" | Should -Be 'ann: hi'
        $forwarded = $m | Send-ChatMessage -Session $pair.Ben -PassThru
        $forwarded.Text | Should -Be 'hi'
        (Receive-ChatMessage -Session $pair.Ann -Kind Message -Wait -Count 1 -Timeout 30).Text | Should -Be 'hi'
    }

    It 'sends a direct message to the named members only, completing their names' {
        $cat = Start-ChatPeer cat -Port 0 -Peer "127.0.0.1:$($pair.Ann.Port)"
        Wait-Until { $pair.Ann.PeerCount -eq 2 -and $pair.Ben.PeerCount -eq 2 } -Because 'a full mesh of three'
        Get-Completion "Send-ChatMessage -Session `$cat -To " | Should -Be 'ann', 'ben'
        $sent = Send-ChatMessage -Session $cat -To ben 'psst' -PassThru
        $sent.Recipients | Should -Be 'ben'
        $got = Receive-ChatMessage -Session $pair.Ben -Kind Message -Wait -Count 1 -Timeout 30
        $got.IsDirect | Should -BeTrue
        Receive-ChatMessage -Session $pair.Ann -Kind Message | Should -BeNullOrEmpty
    }

    It 'reports an unknown recipient as ObjectNotFound naming it, with advice' {
        Send-ChatMessage -Session $pair.Ann -To nobody 'hello?' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'UnknownRecipient,PSGroupChat.Commands.SendChatMessageCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 'nobody'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match 'Get-ChatPeer'
    }

    It 'reports sending on a stopped session as InvalidOperation targeting the session' {
        Stop-ChatPeer -Session $pair.Ben
        Send-ChatMessage -Session $pair.Ben 'late' -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'SessionStopped,PSGroupChat.Commands.SendChatMessageCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problems[0].TargetObject | Should -Be $pair.Ben
        $problems[0].ErrorDetails.RecommendedAction | Should -Match 'Start-ChatPeer'
    }

    It 'writes its log to the debug stream with -Debug' {
        $debug = Send-ChatMessage -Session $pair.Ann 'first' -Debug 5>&1
        ($debug | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message -join "`n" | Should -Match '\[MessageSent\].*first'
    }
}
