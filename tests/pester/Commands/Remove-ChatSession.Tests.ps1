#Requires -Version 7.4

BeforeAll {
    . (Join-Path $PSScriptRoot 'CommandTestHelpers.ps1')
}

Describe 'Remove-ChatSession' {
    AfterEach { Stop-AllChatSessions }

    It 'forgets stopped sessions piped in and stops running ones before forgetting them' {
        $null = Start-ChatPeer ann -Port 0
        $ben = Start-ChatPeer ben -Port 0
        $cat = Start-ChatPeer cat -Port 0
        Stop-ChatPeer -Session $ben
        Get-ChatSession -State Stopped | Remove-ChatSession
        (Get-ChatSession).UserName | Should -Be 'ann', 'cat'
        $cat | Remove-ChatSession
        $cat.State | Should -Be 'Stopped'
        (Get-ChatSession).UserName | Should -Be 'ann'
    }

    It 'takes the session by property name' {
        $ann = Start-ChatPeer ann -Port 0
        [pscustomobject]@{ Session = $ann } | Remove-ChatSession
        Get-ChatSession | Should -BeNullOrEmpty
    }

    It 'does nothing with -WhatIf' {
        $ann = Start-ChatPeer ann -Port 0
        $ann | Remove-ChatSession -WhatIf
        $ann.State | Should -Be 'Running'
        (Get-ChatSession).UserName | Should -Be 'ann'
    }

    It 'reports a session of another runspace as ObjectNotFound, with advice, and stops it all the same' {
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $shell = [powershell]::Create($runspace)
        try {
            $other = $shell.AddScript("Import-Module '$script:ModuleManifest'; Start-ChatPeer other -Port 0").Invoke()[0]
            $other | Remove-ChatSession -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems[0].FullyQualifiedErrorId | Should -Be 'SessionNotInRunspace,PSGroupChat.Commands.RemoveChatSessionCommand'
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $problems[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            $other.State | Should -Be 'Stopped'
        }
        finally {
            $shell.Dispose()
            $runspace.Dispose()
        }
    }

    It 'requires -Session' {
        (Get-Command Remove-ChatSession).Parameters['Session'].Attributes.Where({ $_ -is [Parameter] }).Mandatory | Should -BeTrue
    }
}
