#Requires -Version 7.4

BeforeAll {
    . (Join-Path $PSScriptRoot 'CommandTestHelpers.ps1')
}

Describe 'Start-ChatPeer' {
    AfterEach { Stop-AllChatSessions }

    Context 'binding and output' {
        It 'takes the user name by position, listens on a free port and writes the session' {
            $ann = Start-ChatPeer ann -Port 0
            $ann | Should -BeOfType PSGroupChat.ChatSession
            $ann.UserName | Should -Be 'ann'
            $ann.Port | Should -BeGreaterThan 0
            $ann.State | Should -Be 'Running'
            (Get-ChatSession).UserName | Should -Be 'ann'
        }

        It 'joins through -Peer and writes the verbose log of the join' {
            $ann = Start-ChatPeer ann -Port 0
            $verbose = Start-ChatPeer ben -Port 0 -Peer "127.0.0.1:$($ann.Port)" -Verbose 4>&1
            $ben = $verbose | Where-Object { $_ -is [PSGroupChat.ChatSession] }
            $ben.PeerCount | Should -Be 1
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match '\[PeerJoined\] ann joined'
        }
    }

    Context 'streams' {
        It 'writes its log to the debug stream with -Debug, without prompting (a -NonInteractive pwsh)' {
            # With -Debug and no -Verbose, PowerShell makes each verbose line of a cmdlet a prompt.
            $run = Invoke-FreshPwsh -Script @"
Import-Module '$script:ModuleManifest'
`$ann = Start-ChatPeer ann -Port 0
Start-ChatPeer ben -Port 0 -Peer "127.0.0.1:`$(`$ann.Port)" -Debug 5>&1 | ForEach-Object { `$_.GetType().Name }
Get-ChatSession | Stop-ChatPeer
"@
            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -Contain 'DebugRecord'
            $run.Output | Should -Contain 'ChatSession'
        }
    }

    Context 'endpoints are checked before the listener starts (issue 12.3)' {
        It 'reports each malformed -Peer and starts nothing' {
            Start-ChatPeer ann -Port 0 -Peer 'foo:bar:baz', ':99999' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems.Count | Should -Be 2
            $problems.FullyQualifiedErrorId | Should -Be (@('MalformedEndpoint,PSGroupChat.Commands.StartChatPeerCommand') * 2)
            $problems.CategoryInfo.Category | Should -Be (@('InvalidArgument') * 2)
            $problems.TargetObject | Should -Be 'foo:bar:baz', ':99999'
            $problems | ForEach-Object { $_.ErrorDetails.RecommendedAction | Should -Match 'host:port' }
            Get-ChatSession | Should -BeNullOrEmpty -Because 'nothing may be left behind to break Send-ChatMessage without -Session'
        }

        It 'stops and forgets a session that joined no one, so the port is free for a retry' {
            $port = Get-ClosedPort
            $closed = Get-ClosedPort
            Start-ChatPeer ann -Port $port -Peer "127.0.0.1:$closed" -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems.Count | Should -Be 1
            $problem = $problems[0]
            $problem.FullyQualifiedErrorId | Should -Be 'EndpointUnreachable,PSGroupChat.Commands.StartChatPeerCommand'
            $problem.CategoryInfo.Category | Should -Be 'ConnectionError'
            "$($problem.TargetObject)" | Should -Be "127.0.0.1:$closed"
            $problem.ErrorDetails.RecommendedAction | Should -Match "port $port is free again"
            Get-ChatSession | Should -BeNullOrEmpty

            $retry = Start-ChatPeer ann -Port $port
            $retry.Port | Should -Be $port
        }

        It 'keeps the session when one -Peer is reachable and reports the other' {
            $ann = Start-ChatPeer ann -Port 0
            $closed = Get-ClosedPort
            $ben = Start-ChatPeer ben -Port 0 -Peer "127.0.0.1:$closed", "127.0.0.1:$($ann.Port)" -ErrorVariable problems -ErrorAction SilentlyContinue
            $ben.PeerCount | Should -Be 1
            $problems.FullyQualifiedErrorId | Should -Be 'EndpointUnreachable,PSGroupChat.Commands.StartChatPeerCommand'
        }

        It 'leaves no Stopped row when the chat refuses the user name' {
            $ann = Start-ChatPeer ann -Port 0
            Start-ChatPeer ann -Port 0 -Peer "127.0.0.1:$($ann.Port)" -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $problems.Count | Should -Be 1
            $problem = $problems[0]
            $problem.FullyQualifiedErrorId | Should -Be 'UserNameTaken,PSGroupChat.Commands.StartChatPeerCommand'
            $problem.CategoryInfo.Category | Should -Be 'ResourceExists'
            "$($problem.TargetObject)" | Should -Be "127.0.0.1:$($ann.Port)" -Because "the engine names the member that refused"
            $problem.ErrorDetails.RecommendedAction | Should -Match '-UserName'
            @(Get-ChatSession).Count | Should -Be 1
            (Get-ChatSession).State | Should -Be 'Running'
        }

        It 'leaves no session behind when Ctrl+C stops it during the dial' {
            # A listener that accepts and never answers: the handshake waits, as a slow peer would.
            $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $silent.Start()
            $runspace = [runspacefactory]::CreateRunspace()
            $runspace.Open()
            $shell = [powershell]::Create($runspace)
            try {
                $null = $shell.AddScript("Import-Module '$script:ModuleManifest'; Start-ChatPeer ann -Port 0 -Peer '127.0.0.1:$($silent.LocalEndpoint.Port)'")
                $running = $shell.BeginInvoke()
                Wait-Until { $silent.Pending() } -Because 'the dial reached the silent listener'
                $shell.Stop()   # what Ctrl+C does
                $running.IsCompleted | Should -BeTrue
                $shell.InvocationStateInfo.State | Should -Be 'Stopped'

                $shell.Commands.Clear()
                $left = $shell.AddScript('@(Get-ChatSession).Count').Invoke()
                $left | Should -Be 0
            }
            finally {
                $shell.Dispose()
                $runspace.Dispose()
                $silent.Stop()
            }
        }
    }

    Context 'errors say what to do (issue 12.9)' {
        It 'refuses a port in use as ResourceUnavailable, targeting the endpoint it could not listen on' {
            $ann = Start-ChatPeer ann -Port 0
            $problem = { Start-ChatPeer ben -Port $ann.Port -ErrorAction Stop } | Should -Throw -PassThru
            $problem.FullyQualifiedErrorId | Should -Be 'PortInUse,PSGroupChat.Commands.StartChatPeerCommand'
            $problem.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $problem.TargetObject | Should -Be $ann.ListenEndpoint
            $problem.ErrorDetails.RecommendedAction | Should -Match '-Port 0'
        }

        It 'explains a -ListenAddress that is not on this computer instead of a SocketException' {
            $problem = { Start-ChatPeer ann -Port 0 -ListenAddress 10.9.9.9 -ErrorAction Stop } | Should -Throw -PassThru
            $problem.FullyQualifiedErrorId | Should -Not -Match 'Exception'
            $problem.ErrorDetails.RecommendedAction | Should -Match '-ListenAddress'
            Get-ChatSession | Should -BeNullOrEmpty
        }

        It 'explains a log file it cannot write' {
            $problem = { Start-ChatPeer ann -Port 0 -LogPath /proc/psgroupchat.log -ErrorAction Stop } | Should -Throw -PassThru
            $problem.FullyQualifiedErrorId | Should -Be 'LogFileNotWritable,PSGroupChat.Commands.StartChatPeerCommand'
            $problem.CategoryInfo.Category | Should -Be 'WriteError'
            $problem.ErrorDetails.RecommendedAction | Should -Match '-LogPath'
            Get-ChatSession | Should -BeNullOrEmpty
        }

        It 'creates no folders for a log file in a folder that does not exist' {
            $folder = Join-Path ([IO.Path]::GetTempPath()) "psgroupchat-missing-$([guid]::NewGuid())"
            $problem = { Start-ChatPeer ann -Port 0 -LogPath (Join-Path $folder 'dir/x.log') -ErrorAction Stop } | Should -Throw -PassThru
            $problem.FullyQualifiedErrorId | Should -Be 'LogFolderNotFound,PSGroupChat.Commands.StartChatPeerCommand'
            $problem.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $problem.ErrorDetails.RecommendedAction | Should -Match 'Create the folder'
            Test-Path $folder | Should -BeFalse
        }
    }

    Context 'history for a late joiner (-History)' {
        BeforeEach {
            $pair = New-ChatPair
            foreach ($i in 1..4) { Send-ChatMessage -Session $pair.Ann -Message "a$i" }
            foreach ($i in 1..2) { Send-ChatMessage -Session $pair.Ben -Message "b$i" }
            Wait-Until { $pair.Ben.MessagesReceived -eq 4 -and $pair.Ann.MessagesReceived -eq 2 } -Because 'ann and ben have each other''s messages'
        }

        It 'replays the last 3 messages of each sender, marked as history, in order, once, then live ones' {
            $cat = Start-ChatPeer cat -Port 0 -Peer "127.0.0.1:$($pair.Ann.Port)" -History 3
            $got = [System.Collections.Generic.List[object]]::new()
            Wait-Until { $got.AddRange(@(Receive-ChatMessage -Session $cat)); @($got | Where-Object Kind -eq 'Message').Count -ge 5 } -Because 'cat got the history'
            Send-ChatMessage -Session $pair.Ann -Message 'a5'
            Wait-Until { $got.AddRange(@(Receive-ChatMessage -Session $cat)); $got.Text -contains 'a5' } -Because 'cat got a live message'

            $messages = @($got | Where-Object Kind -eq 'Message')
            @($messages | Where-Object Sender -eq 'ann').Text -join ',' | Should -Be 'a2,a3,a4,a5'
            @($messages | Where-Object Sender -eq 'ben').Text -join ',' | Should -Be 'b1,b2'
            @($messages | Where-Object IsHistory).Text | Sort-Object | Should -Be @('a2', 'a3', 'a4', 'b1', 'b2')
            ($messages | Where-Object Text -eq 'a5').IsHistory | Should -BeFalse
        }

        It 'takes a time span: what was sent within it' {
            $cat = Start-ChatPeer cat -Port 0 -Peer "127.0.0.1:$($pair.Ann.Port)" -History (New-TimeSpan -Minutes 10)
            $got = [System.Collections.Generic.List[object]]::new()
            Wait-Until { $got.AddRange(@(Receive-ChatMessage -Session $cat)); @($got | Where-Object Kind -eq 'Message').Count -ge 6 } -Because 'cat got the history'
            $history = @($got | Where-Object { $_.Kind -eq 'Message' -and $_.IsHistory })
            @($history | Where-Object Sender -eq 'ann').Text -join ',' | Should -Be 'a1,a2,a3,a4'
            @($history | Where-Object Sender -eq 'ben').Text -join ',' | Should -Be 'b1,b2'
        }

        It 'refuses a -History that is neither a count nor a time span, and says what it takes' {
            { Start-ChatPeer cat -Port 0 -History 'soon' } | Should -Throw -ErrorId 'InvalidHistory,PSGroupChat.Commands.StartChatPeerCommand' -ExpectedMessage '*positive count of messages per sender*time span*'
            { Start-ChatPeer cat -Port 0 -History 0 } | Should -Throw -ErrorId 'InvalidHistory,PSGroupChat.Commands.StartChatPeerCommand'
            Get-ChatSession | Where-Object UserName -eq 'cat' | Should -BeNullOrEmpty
        }
    }

    Context 'completion' {
        It 'completes -Peer with endpoints to dial, never file names' {
            $ann = Start-ChatPeer ann -Port 0
            Get-Completion 'Start-ChatPeer ben -Peer ' | Should -Be "'localhost:$($ann.Port)'"
        }
    }
}
