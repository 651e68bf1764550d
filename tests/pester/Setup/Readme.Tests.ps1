#Requires -Version 7.4
# Pester 5. Issue 12, defect 7: every line of the README's tour runs as written. The README's ```powershell blocks
# run, in order, in a fresh pwsh from the repository's root (where the tour says to run them); an error on any line,
# or a line that waits longer than the time limit, fails the test. The tour itself uses free ports (-Port 0 and
# $p0.Port), so runs in parallel never collide.

BeforeAll {
    . (Join-Path $PSScriptRoot '..' 'PwshProcess.ps1')
    $readme = Join-Path $PwshRepositoryRoot 'README.md'

    function Get-ReadmeBlock {
        <# The contents of every fenced block of $Language in the README, in order. #>
        param([string] $Language)
        $block = $null
        foreach ($line in Get-Content -LiteralPath $readme) {
            if ($null -ne $block) {
                if ($line -eq '```') { $block -join "`n"; $block = $null } else { $block += $line }
            }
            elseif ($line -eq "``````$Language") { $block = @() }
        }
    }

    $blocks = @(Get-ReadmeBlock -Language powershell)
    # Every error stops the run (exit code 1), and one that was only written still fails it at the end.
    $script = "`$ErrorActionPreference = 'Stop'`n" + ($blocks -join "`n") + "`nif (`$Error.Count -gt 0) { `$Error | Out-String | Write-Error; exit 3 }"
    $tour = Invoke-PwshProcess -Script $script -WorkingDirectory $PwshRepositoryRoot -Seconds 180
}

Describe "The README's tour" {
    It 'has PowerShell blocks to run' {
        $blocks.Count | Should -BeGreaterOrEqual 2
    }

    It 'runs every line as written, without an error and without waiting forever' {
        $tour.TimedOut | Should -BeFalse -Because "a line must not wait forever: $(Format-PwshResult $tour)"
        $tour.ExitCode | Should -Be 0 -Because (Format-PwshResult $tour)
        $tour.Error | Should -BeNullOrEmpty
    }

    It 'shows what the comments say: the messages, the leave with its reason, and the echo' {
        $tour.Output | Should -Match 'hello from P0'
        $tour.Output | Should -Match 'second line'
        $tour.Output | Should -Match 'lunch'
        $tour.Output | Should -Match 'echo: just for you'
    }

    It 'opens the chat room with commands that parse and name the module the build makes' {
        $section = (Get-Content -LiteralPath $readme -Raw) -split '(?m)^## ' | Where-Object { $_ -like 'Build and chat*' }
        $commands = @(Get-ReadmeBlock -Language sh | Where-Object { $section -and $section.Contains($_) })
        $commands.Count | Should -Be 2 -Because 'the section shows the LAN line and the address form'
        foreach ($command in $commands) {
            $command | Should -Match '^dotnet tool restore && dotnet build && dotnet pwsh -NoExit -Command '
            $payload = [regex]::Match($command, "-Command '(.+)'$").Groups[1].Value
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($payload, [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty
            $payload | Should -Match 'Import-Module \./out/PSGroupChat/PSGroupChat\.psd1;'
        }
        $PwshBuiltModule | Should -Exist
        $commands[0] | Should -Match "Enter-ChatRoom -Room \w+'$" -Because 'the one-line LAN chat comes first'
        $commands[1] | Should -Match "\| Enter-ChatRoom'$" -Because 'then the address form'
    }

    It 'names only files that exist' {
        foreach ($match in [regex]::Matches(($blocks -join "`n"), '(?<=\s)\./[\w./-]+')) {
            Join-Path $PwshRepositoryRoot $match.Value | Should -Exist -Because "the tour names $($match.Value)"
        }
    }
}
