#Requires -Version 7.4

BeforeAll {
    . (Join-Path $PSScriptRoot 'CommandTestHelpers.ps1')
}

Describe 'Receive-ChatMessage' {
    BeforeEach {
        $pair = New-ChatPair
        # ben's inbox: ann joined, then three messages, one of them direct.
        Send-ChatMessage -Session $pair.Ann 'hello everyone'
        Send-ChatMessage -Session $pair.Ann -To ben 'psst, ben'
        Send-ChatMessage -Session $pair.Ann 'waves' -Action
        Wait-Until { $pair.Ben.MessagesReceived -eq 3 } -Because 'ben received the three messages'
    }
    AfterEach { Stop-AllChatSessions }

    Context 'binding and filters' {
        It 'takes the session from the pipeline and filters by -Kind and -From, leaving the rest queued' {
            $messages = $pair.Ben | Receive-ChatMessage -Kind Message -From ann
            $messages.Text | Should -Be 'hello everyone', 'psst, ben', 'waves'
            $left = Receive-ChatMessage -Session $pair.Ben
            $left.Kind | Should -Be 'Joined'
        }

        It 'takes the session by property name' {
            $messages = [pscustomobject]@{ Session = $pair.Ben } | Receive-ChatMessage -Kind Message
            $messages.Count | Should -Be 3
        }

        It 'completes -From with the members' {
            Get-Completion "Receive-ChatMessage -Session `$pair.Ben -From " | Should -Be 'ann'
        }

        It 'returns after -Timeout when nothing more arrives' {
            $null = Receive-ChatMessage -Session $pair.Ben
            $elapsed = Measure-Command { Receive-ChatMessage -Session $pair.Ben -Timeout 1 | Should -BeNullOrEmpty }
            $elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
        }
    }

    Context 'pipelines into the Utility cmdlets (issue 12.8)' {
        It 'works with Where-Object, Sort-Object, Group-Object and Select-Object, including the Time column' {
            $all = Receive-ChatMessage -Session $pair.Ben
            ($all | Where-Object IsDirect).Text | Should -Be 'psst, ben'
            ($all | Group-Object Kind | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) | Should -Be 'Joined=1', 'Message=3'
            $times = $all | Select-Object -ExpandProperty Time
            $times | Should -HaveCount 4
            $times | ForEach-Object { $_ | Should -BeOfType [datetime] }
            ($all | Sort-Object Time -Descending | Select-Object -First 1).Text | Should -Be 'waves'
        }

        It 'shows in the table exactly the Text it carries' {
            $table = Receive-ChatMessage -Session $pair.Ben -Kind Message | Format-Table | Out-String -Width 200
            $table | Should -Match '(?m)^Time\s+Kind\s+Sender\s+To\s+Reason\s+Text'
            $table | Should -Match 'psst, ben'
            $table | Should -Match '(?m) waves\s*$' -Because 'an action shows its Text, like .Text, not a decorated copy'
            $table | Should -Not -Match '\[to ben\]'
        }

        It 'writes Recipients as names and Kind as its name to CSV and JSON' {
            $all = Receive-ChatMessage -Session $pair.Ben
            $csv = Join-Path ([IO.Path]::GetTempPath()) "psgroupchat-$([guid]::NewGuid()).csv"
            try {
                $all | Export-Csv -Path $csv
                $rows = Import-Csv -Path $csv
                ($rows | Where-Object Text -eq 'psst, ben').Recipients | Should -Be 'ben'
                Get-Content $csv -Raw | Should -Not -Match 'System\.String\[\]|ReadOnlyCollection'
                $rows.Kind | Should -Be 'Joined', 'Message', 'Message', 'Message'
            }
            finally {
                Remove-Item $csv -ErrorAction SilentlyContinue
            }
            $json = $all | ConvertTo-Json | ConvertFrom-Json
            $json.Kind | Should -Be 'Joined', 'Message', 'Message', 'Message'
            ($json | Where-Object Text -eq 'psst, ben').Recipients | Should -Be 'ben'
        }
    }

    Context 'remote text on the console (issue 12.5)' {
        It 'does not let escape sequences through the default table and list views' {
            Send-ChatMessage -Session $pair.Ann "`e[2J`e[H`e[41mRED`a"
            $m = Receive-ChatMessage -Session $pair.Ben -Kind Message -Wait -Count 4 -Timeout 30 | Select-Object -Last 1
            $m.Text | Should -Match "`e" -Because 'the object keeps what was sent'
            $table = $m | Out-String -Width 200
            $list = $m | Format-List | Out-String -Width 200
            foreach ($shown in $table, $list) {
                $shown | Should -Not -Match '[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]'
                $shown | Should -Match '\uFFFD\[41mRED\uFFFD'
            }
        }
    }

    Context 'events' {
        It "raises the session's events into PowerShell's event queue" {
            $cat = Start-ChatPeer cat -Port 0
            $null = Register-ObjectEvent -InputObject $pair.Ann -EventName PeerJoined -SourceIdentifier 'Test.Joined'
            $null = Register-ObjectEvent -InputObject $pair.Ann -EventName MessageReceived -SourceIdentifier 'Test.Message'
            try {
                $null = Connect-ChatPeer -Session $cat -Endpoint "127.0.0.1:$($pair.Ann.Port)"
                $joined = Wait-Event -SourceIdentifier 'Test.Joined' -Timeout 30
                $joined.SourceEventArgs.Message.Sender | Should -Be 'cat'
                Send-ChatMessage -Session $cat 'evented'
                $message = Wait-Event -SourceIdentifier 'Test.Message' -Timeout 30
                $message.SourceEventArgs.Message.Text | Should -Be 'evented'
            }
            finally {
                'Test.Joined', 'Test.Message' | ForEach-Object { Unregister-Event -SourceIdentifier $_ -ErrorAction SilentlyContinue; Remove-Event -SourceIdentifier $_ -ErrorAction SilentlyContinue }
            }
        }
    }
}
