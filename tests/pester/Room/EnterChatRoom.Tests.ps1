#Requires -Version 7.4
# Pester 5. Enter-ChatRoom in a real terminal: two real pwsh processes in tmux chat through the built module, and the
# screens tmux shows are compared with the expected ones row by row (only the clock is normalised).

BeforeAll {
    # The module the repository builds (dotnet build assembles it in out/).
    $module = (Resolve-Path (Join-Path $PSScriptRoot '../../../out/PSGroupChat/PSGroupChat.psd1')).Path
    if (-not (Get-Command tmux -ErrorAction SilentlyContinue)) { throw 'These tests drive a real terminal through tmux, which is not installed.' }

    # The pwsh running this test: under 'dotnet pwsh' (the local tool) the process is dotnet and pwsh is its first argument.
    $script:pwsh = @([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { $script:pwsh += [Environment]::GetCommandLineArgs()[0] }

    $script:panePids = @()
    $script:socket = "psgc-room-$PID-$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
    $script:work = Join-Path ([IO.Path]::GetTempPath()) $socket
    New-Item -ItemType Directory -Path $work | Out-Null

    function Invoke-Tmux {
        # -u: UTF-8 whatever the caller's locale, or tmux would show wide characters as '_'.
        $out = & tmux -u -L $script:socket -f /dev/null @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "tmux $($args -join ' ') failed: $out" }
        $out
    }

    function Quote([string] $text) { "'" + $text.Replace("'", "'\''") + "'" }

    # A pane running a fresh pwsh that imports the built module and runs $Command, with a UTF-8 locale and terminal.
    function Start-Pane([string] $Name, [string] $Command, [int] $Width, [int] $Height) {
        $script = Join-Path $script:work "$Name.ps1"
        # After the room, pwsh waits for a key that never comes, so that its last screen stays for the test to read.
        Set-Content -Path $script -Encoding utf8 -Value "Import-Module '$module' -ErrorAction Stop`n$Command`n`$null = `$Host.UI.RawUI.ReadKey('NoEcho,IncludeKeyDown')"
        $shell = "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color " + (($script:pwsh + @('-NoProfile', '-NoLogo', '-File', $script)) | ForEach-Object { Quote $_ }) -join ' '
        Invoke-Tmux new-session -d -s $Name -x $Width -y $Height $shell | Out-Null
        $script:panePids += [int](Invoke-Tmux display-message -p -t $Name '#{pane_pid}') # env execs pwsh: the same process
    }

    # The rows tmux shows for the pane, the clock normalised, trailing blanks dropped (as capture-pane does).
    function Get-Screen([string] $Name) {
        @(Invoke-Tmux capture-pane -p -t $Name) | ForEach-Object { $_ -replace '\[\d\d:\d\d:\d\d\]', '[hh:mm:ss]' }
    }

    function Get-CursorX([string] $Name) { [int](Invoke-Tmux display-message -p -t $Name '#{cursor_x}') }

    # Waits until $Condition (given the screen's rows) is true; on time-out, fails with the screen shown.
    function Wait-Screen([string] $Name, [scriptblock] $Condition, [string] $What, [int] $Seconds = 60) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while ($true) {
            $rows = @(Get-Screen $Name)
            if (& $Condition $rows) { return $rows }
            if ([DateTime]::UtcNow -gt $deadline) {
                throw "Waited $Seconds s in vain on ${Name}'s screen for: $What`n" + (($rows | ForEach-Object { "|$_" }) -join "`n")
            }
            Start-Sleep -Milliseconds 100
        }
    }

    function Send-Keys([string] $Name) { Invoke-Tmux send-keys -t $Name @args | Out-Null }

    # The screen up to its last non-blank row.
    function Trim-Screen([string[]] $Rows) {
        $last = $Rows.Count - 1
        while ($last -ge 0 -and $Rows[$last] -eq '') { $last-- }
        if ($last -lt 0) { return @() }
        @($Rows[0..$last])
    }

    # Waits until the screen is exactly $Expected (the terminal and the room draw asynchronously), then checks it row by
    # row, so that a screen that never gets there fails on its first wrong row, with the whole screen shown.
    function Assert-Screen([string] $Name, [string[]] $Expected, [int] $Seconds = 60) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        do {
            $actual = @(Trim-Screen (Get-Screen $Name))
            if (($actual -join "`n") -ceq ($Expected -join "`n")) { break }
            Start-Sleep -Milliseconds 100
        } while ([DateTime]::UtcNow -lt $deadline)
        $report = "Actual screen of ${Name}:`n" + (($actual | ForEach-Object { "|$_" }) -join "`n")
        for ($i = 0; $i -lt [Math]::Max($actual.Count, $Expected.Count); $i++) {
            $actual[$i] | Should -BeExactly $Expected[$i] -Because "row $i of ${Name}'s screen must be exactly as expected`n$report"
        }
    }
}

AfterAll {
    # Ends both panes' pwsh (they get SIGHUP) even when a test failed midway; tmux leaves its socket file behind.
    $socketPath = & tmux -u -L $script:socket -f /dev/null display-message -p '#{socket_path}' 2>$null
    & tmux -u -L $script:socket -f /dev/null kill-server 2>$null
    if ($socketPath -and (Test-Path $socketPath)) { Remove-Item -Force $socketPath }
    foreach ($id in $script:panePids) {
        # SIGHUP ends pwsh; should one outlive it, it is stopped by its own id.
        $process = Get-Process -Id $id -ErrorAction SilentlyContinue
        if ($process -and -not $process.WaitForExit(10000)) { Stop-Process -Id $id -Force -ErrorAction SilentlyContinue }
    }
    if ($script:work -and (Test-Path $script:work)) { Remove-Item -Recurse -Force $script:work }
}

Describe 'Enter-ChatRoom in a real terminal' {
    It 'chats between two pwsh processes through resizes, Tab completion, CJK input and control keys, screen by screen' {
        # alice listens on loopback only, so her header names exactly one address, the one bob dials.
        Start-Pane alice 'Start-ChatPeer -UserName alice -Port 0 -ListenAddress 127.0.0.1 | Enter-ChatRoom -StopOnExit' -Width 80 -Height 24
        $rows = Wait-Screen alice { param($r) $r -match '^Others join at 127\.0\.0\.1:\d+, e\.g\. with:$' } "alice's header"
        $port = [int](($rows -match '^Others join at ')[0] -replace '^Others join at 127\.0\.0\.1:(\d+),.*$', '$1')
        $header = @(
            "Chat room of 'alice', 0 other members linked. /help lists the commands; /quit"
            'or Ctrl+C leaves.'
            "Others join at 127.0.0.1:$port, e.g. with:"
            "  Start-ChatPeer -UserName <name> -Peer 127.0.0.1:$port | Enter-ChatRoom"
        )
        Assert-Screen alice ($header + 'alice>')

        Start-Pane bob "Start-ChatPeer -UserName bob -Port 0 -ListenAddress 127.0.0.1 -Peer '127.0.0.1:$port' | Enter-ChatRoom -StopOnExit" -Width 80 -Height 24

        $rows = Wait-Screen bob { param($r) $r -contains 'bob>' } "bob's room"
        $bobPort = [int](($rows -match '^Others join at ')[0] -replace '^Others join at 127\.0\.0\.1:(\d+),.*$', '$1')
        Wait-Screen alice { param($r) $r -contains '[hh:mm:ss] *** bob joined' } 'bob joining alice' | Out-Null

        # bob says hello; both see it.
        Send-Keys bob -l 'hello alice'
        Send-Keys bob Enter
        Wait-Screen alice { param($r) $r -contains '[hh:mm:ss] bob: hello alice' } "bob's line at alice" | Out-Null

        # alice lists the members, then sends bob a direct message with his name completed by Tab.
        Send-Keys alice -l '/who'
        Send-Keys alice Enter
        Send-Keys alice -l '/msg b'
        Send-Keys alice Tab
        # Tab completes the name and the space after it: the cursor stands after the space.
        Wait-Screen alice { param($r) $r -contains 'alice> /msg bob' -and (Get-CursorX alice) -eq 'alice> /msg bob '.Length } 'the name completed by Tab' | Out-Null
        Send-Keys alice -l 'psst'
        Send-Keys alice Enter
        Wait-Screen bob { param($r) $r -contains '[hh:mm:ss] alice (to bob): psst' } 'the direct message at bob' | Out-Null

        # bob starts a line, and his terminal shrinks (rows scroll off), then a message arrives, then it grows back.
        Send-Keys bob -l 'draft'
        Wait-Screen bob { param($r) $r -contains 'bob> draft' } "bob's draft" | Out-Null
        Invoke-Tmux resize-window -t bob -x 60 -y 6 | Out-Null
        Send-Keys alice -l 'while small'
        Send-Keys alice Enter
        $small = @(
            'Enter-ChatRoom' # the end of bob's header, wrapped by the room at 60 columns when it painted the window again
            '[hh:mm:ss] *** alice joined'
            '[hh:mm:ss] bob: hello alice'
            '[hh:mm:ss] alice (to bob): psst'
            '[hh:mm:ss] alice: while small'
            'bob> draft'
        )
        Assert-Screen bob $small
        Invoke-Tmux resize-window -t bob -x 80 -y 24 | Out-Null
        Send-Keys alice -l 'after the resize'
        Send-Keys alice Enter
        $bobHeader = @(
            "Chat room of 'bob', 1 other member linked. /help lists the commands; /quit or"
            'Ctrl+C leaves.'
            "Others join at 127.0.0.1:$bobPort, e.g. with:"
            "  Start-ChatPeer -UserName <name> -Peer 127.0.0.1:$bobPort | Enter-ChatRoom"
        )
        $bobChat = @(
            '[hh:mm:ss] *** alice joined'
            '[hh:mm:ss] bob: hello alice'
            '[hh:mm:ss] alice (to bob): psst'
            '[hh:mm:ss] alice: while small'
            '[hh:mm:ss] alice: after the resize'
        )
        # One prompt, under the last line: none left behind where the terminal had moved it.
        Assert-Screen bob ($bobHeader + $bobChat + 'bob> draft')

        # bob clears his draft and types Chinese: four wide characters, eight cells.
        Send-Keys bob Escape
        Send-Keys bob -l '你好世界'
        Wait-Screen bob { param($r) $r -contains 'bob> 你好世界' -and (Get-CursorX bob) -eq 'bob> '.Length + 8 } "bob's CJK input, the cursor after its eighth cell" | Out-Null
        # A word too many, taken back with Ctrl+W (the terminal sends it as the control character the room reads).
        Send-Keys bob -l ' junk'
        Wait-Screen bob { param($r) $r -contains 'bob> 你好世界 junk' } "bob's extra word" | Out-Null
        Send-Keys bob C-w
        Wait-Screen bob { param($r) $r -contains 'bob> 你好世界' -and (Get-CursorX bob) -eq 'bob> '.Length + 9 } 'the word erased by Ctrl+W' | Out-Null
        Send-Keys bob Enter
        Wait-Screen alice { param($r) $r -contains '[hh:mm:ss] bob: 你好世界' } "bob's CJK line at alice" | Out-Null
        Assert-Screen bob ($bobHeader + $bobChat + '[hh:mm:ss] bob: 你好世界' + 'bob>')

        # Ctrl+L clears bob's window and puts his line at the top; then he leaves the room and the chat with /quit.
        Send-Keys bob C-l
        Assert-Screen bob @('bob>')
        Send-Keys bob -l '/quit'
        Send-Keys bob Enter
        Assert-Screen bob @("Left the room and the chat: the session of 'bob' is stopped.")

        # alice sees him go, then leaves with Ctrl+D on her empty line.
        Wait-Screen alice { param($r) $r -match '^\[hh:mm:ss\] \*\*\* bob left' } "bob's leaving at alice" | Out-Null
        Send-Keys alice C-d
        Assert-Screen alice ($header + @(
            '[hh:mm:ss] *** bob joined'
            '[hh:mm:ss] bob: hello alice'
            'Members (2): alice (you), bob'
            '[hh:mm:ss] alice (to bob): psst'
            '[hh:mm:ss] alice: while small'
            '[hh:mm:ss] alice: after the resize'
            '[hh:mm:ss] bob: 你好世界'
            '[hh:mm:ss] *** bob left (graceful)'
            "Left the room and the chat: the session of 'alice' is stopped."
        ))
    }
}
