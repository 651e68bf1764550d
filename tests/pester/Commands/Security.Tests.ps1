#Requires -Version 7.4

# The security surface of the cmdlets: New-ChatSecret, -Identity, -TrustedPeer, -AcceptNewKey, -Plaintext, and the
# Encrypted and Fingerprint columns. Every key and known-peers file goes to a folder of this file's own.

BeforeAll {
    . (Join-Path $PSScriptRoot 'CommandTestHelpers.ps1')
    $script:SavedConfigHome = $env:XDG_CONFIG_HOME
    $script:Keys = Join-Path ([IO.Path]::GetTempPath()) "psgc-pester-keys-$([guid]::NewGuid().ToString('N'))"
    $env:XDG_CONFIG_HOME = Join-Path $script:Keys 'config'
}

AfterAll {
    $env:XDG_CONFIG_HOME = $script:SavedConfigHome
    Remove-Item -LiteralPath $script:Keys -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-ChatSecret' {
    AfterEach { Stop-AllChatSessions }

    It 'makes a new 256-bit secret each time, as a SecureString or as text' {
        New-ChatSecret | Should -BeOfType System.Security.SecureString
        $one = New-ChatSecret -AsPlainText
        $two = New-ChatSecret -AsPlainText
        $one | Should -Match '^[A-Za-z0-9_-]{43}$'
        $one | Should -Not -Be $two
    }

    It 'gives a secret Start-ChatPeer takes without a warning, where a short one gets a warning that says why' {
        $null = Start-ChatPeer strong -Port 0 -SharedSecret (New-ChatSecret) -WarningVariable strongWarnings -WarningAction SilentlyContinue
        $strongWarnings | Should -BeNullOrEmpty
        $weak = ConvertTo-SecureString -String 'hunter2' -AsPlainText -Force
        $null = Start-ChatPeer weak -Port 0 -SharedSecret $weak -WarningVariable weakWarnings -WarningAction SilentlyContinue
        "$weakWarnings" | Should -Match 'weak: 7 characters'
        "$weakWarnings" | Should -Match 'offline'
        "$weakWarnings" | Should -Match 'New-ChatSecret'
    }
}

Describe 'Encrypted links and identities' {
    AfterEach { Stop-AllChatSessions }

    It 'encrypts by default with the per-user identity, made owner-only under XDG_CONFIG_HOME, and shows the keys' {
        $ann = Start-ChatPeer ann -Port 0
        $ben = Start-ChatPeer ben -Port 0 -Peer "127.0.0.1:$($ann.Port)"
        Wait-Until { $ann.PeerCount -eq 1 } -Because 'ann links ben'
        $key = Join-Path $env:XDG_CONFIG_HOME 'PSGroupChat/identity.key'
        $key | Should -Exist
        if (-not $IsWindows) {
            (Get-Item $key).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
            (Get-Item (Split-Path $key)).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        }
        $ann.Encrypted | Should -BeTrue
        $ann.Fingerprint | Should -Match '^SHA256:[A-Za-z0-9+/]{43}$'
        $ben.Fingerprint | Should -Be $ann.Fingerprint   # one user, one identity: both sessions of this process
        $row = Get-ChatPeer -Session $ann
        $row.Encrypted | Should -BeTrue
        $row.Fingerprint | Should -Be $ben.Fingerprint
        (Get-ChatPeer -Session $ann | Format-Table | Out-String -Width 300) | Should -Match '(?m)^UserName\s+Endpoint\s+Direction\s+State\s+Encrypted\s+Fingerprint'
        (Get-ChatSession -UserName ann | Format-Table | Out-String -Width 300) | Should -Match ([regex]::Escape($ann.Fingerprint))
        (Receive-ChatMessage -Session $ann | Where-Object Kind -eq Joined).Fingerprint | Should -Be $ben.Fingerprint
        (Get-Content -Raw $key) | Should -Not -Match ([regex]::Escape($ann.Fingerprint))
    }

    It 'keeps an identity chosen with -Identity across sessions' {
        $path = Join-Path $script:Keys 'cat/identity.key'
        $first = Start-ChatPeer cat -Port 0 -Identity $path
        Stop-ChatPeer -Session $first
        $second = Start-ChatPeer cat -Port 0 -Identity (Split-Path $path)
        $second.Fingerprint | Should -Be $first.Fingerprint
        $second.Fingerprint | Should -Not -Be (Start-ChatPeer dan -Port 0).Fingerprint
    }

    It 'runs -Plaintext only with a warning, shows it, and refuses a mix of modes on both sides' {
        $old = Start-ChatPeer old -Port 0 -Plaintext -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -Match 'not encrypted'
        $older = Start-ChatPeer older -Port 0 -Plaintext -Peer "127.0.0.1:$($old.Port)" -WarningAction SilentlyContinue
        Wait-Until { $old.PeerCount -eq 1 } -Because 'two plaintext peers link'
        $old.Encrypted | Should -BeFalse
        $old.Fingerprint | Should -BeNullOrEmpty
        (Get-ChatPeer -Session $old).Encrypted | Should -BeFalse

        $modern = Start-ChatPeer modern -Port 0
        $problem = { Connect-ChatPeer -Session $modern -Endpoint "127.0.0.1:$($old.Port)" -ErrorAction Stop } | Should -Throw -PassThru
        $problem.Exception.Message | Should -Match 'This chat is encrypted; the peer at .* runs -Plaintext'
        $problem = { Connect-ChatPeer -Session $older -Endpoint "127.0.0.1:$($modern.Port)" -ErrorAction Stop } | Should -Throw -PassThru
        $problem.Exception.Message | Should -Match 'This session runs -Plaintext; the peer at .* is encrypted'
    }
}

Describe 'Trusted and known keys' {
    AfterEach { Stop-AllChatSessions }

    It 'closes a chat to the keys of -TrustedPeer' {
        $annKey = Join-Path $script:Keys 'trust-ann/identity.key'
        $benKey = Join-Path $script:Keys 'trust-ben/identity.key'
        $benPrint = (Start-ChatPeer probe -Port 0 -Identity $benKey).Fingerprint
        $ann = Start-ChatPeer ann -Port 0 -Identity $annKey -TrustedPeer $benPrint
        $ben = Start-ChatPeer ben -Port 0 -Identity $benKey -Peer "127.0.0.1:$($ann.Port)"
        Wait-Until { $ann.PeerCount -eq 1 } -Because 'ann admits the trusted key'

        $null = Start-ChatPeer eve -Port 0 -Identity (Join-Path $script:Keys 'trust-eve/identity.key') -Peer "127.0.0.1:$($ann.Port)" -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -Match '^KeyRejected'
        "$($refused[0])" | Should -Match 'not one of this chat''s -TrustedPeer keys'
        $ann.PeerCount | Should -Be 1

        { Start-ChatPeer bad -Port 0 -TrustedPeer 'SHA256:nope' -ErrorAction Stop } | Should -Throw '*is not a key fingerprint*'
    }

    It 'refuses a known name with a new key, and -AcceptNewKey accepts it deliberately' {
        $annKey = Join-Path $script:Keys 'tofu-ann/identity.key'
        $ann = Start-ChatPeer ann -Port 0 -Identity $annKey
        $ben = Start-ChatPeer ben -Port 0 -Identity (Join-Path $script:Keys 'tofu-ben-1/identity.key') -Peer "127.0.0.1:$($ann.Port)"
        Wait-Until { $ann.PeerCount -eq 1 } -Because 'ann meets ben'
        Get-Content (Join-Path (Split-Path $annKey) 'known_peers') | Should -Be "ben $($ben.Fingerprint)"
        Stop-ChatPeer -Session $ben
        Wait-Until { $ann.PeerCount -eq 0 } -Because 'ben left'

        $newBen = Join-Path $script:Keys 'tofu-ben-2/identity.key'
        $null = Start-ChatPeer ben -Port 0 -Identity $newBen -Peer "127.0.0.1:$($ann.Port)" -ErrorVariable refused -ErrorAction SilentlyContinue
        "$($refused[0])" | Should -Match "knows the name 'ben' by another key"
        $refused[0].FullyQualifiedErrorId | Should -Match '^KeyRejected'
        $refused[0].ErrorDetails.RecommendedAction | Should -Match 'AcceptNewKey' 
        $ann.PeerCount | Should -Be 0

        Stop-ChatPeer -Session $ann
        $ann = Start-ChatPeer ann -Port 0 -Identity $annKey -AcceptNewKey ben
        $ben = Start-ChatPeer ben -Port 0 -Identity $newBen -Peer "127.0.0.1:$($ann.Port)"
        Wait-Until { $ann.PeerCount -eq 1 } -Because 'ann accepts ben''s new key'
        Get-Content (Join-Path (Split-Path $annKey) 'known_peers') | Should -Be "ben $($ben.Fingerprint)"
    }
}
