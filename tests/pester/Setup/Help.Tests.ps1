#Requires -Version 7.4
# Pester 5. Issue 12, defect 4: after a plain `dotnet build`, Get-Help shows every cmdlet's examples (made from
# docs/cmdlets by the build's converter, no PlatyPS), without markdown fences; and the fences PlatyPS 1.0.3 leaves in
# examples are removed by build.ps1 -Task Docs.

BeforeDiscovery {
    $cmdlets = @(Get-ChildItem -Path (Join-Path $PSScriptRoot '..' '..' '..' 'docs' 'cmdlets') -Filter '*.md' |
            ForEach-Object { @{ Name = $_.BaseName; Markdown = $_.FullName } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot '..' 'PwshProcess.ps1')

    function Get-MarkdownExample {
        <# Each example of a PlatyPS markdown file: its title and its first ```powershell block. #>
        param([string] $Path)
        $section = ''
        $example = $null
        $code = $null
        foreach ($line in Get-Content -LiteralPath $Path) {
            if ($null -ne $code) {
                if ($line -eq '```') { if (-not $example.Code) { $example.Code = $code -join "`n" }; $code = $null }
                else { $code += $line }
                continue
            }
            if ($line -match '^## (.+)$') { $section = $Matches[1]; continue }
            if ($section -ne 'EXAMPLES') { continue }
            if ($line -match '^### (.+)$') { $example = [pscustomobject]@{ Title = $Matches[1]; Code = $null }; $example; continue }
            if ($line -eq '```powershell') { $code = @() }
        }
    }

    # A fresh pwsh that knows only the module dotnet build assembled in out/PSGroupChat.
    $script = @'
$ErrorActionPreference = 'Stop'
Import-Module -Name $args[0]
$all = foreach ($name in (Get-Command -Module PSGroupChat -CommandType Cmdlet).Name) {
    $help = Get-Help -Name $name -Full
    [pscustomobject]@{
        Name         = $name
        Synopsis     = $help.Synopsis
        Examples     = @($help.examples.example | ForEach-Object { [pscustomobject]@{ Title = $_.title; Code = $_.code } })
        Parameters   = @($help.parameters.parameter | ForEach-Object { [pscustomobject]@{ Name = $_.name; Text = ($_.description.Text -join ' ') } })
        ExamplesView = Get-Help -Name $name -Examples | Out-String -Width 250
    }
}
ConvertTo-Json -InputObject @($all) -Depth 4
'@
    $run = Invoke-PwshProcess -Script $script -Arguments $PwshBuiltModule -Seconds 120
    $help = @{}
    if ($run.ExitCode -eq 0) { foreach ($entry in $run.Output | ConvertFrom-Json) { $help[$entry.Name] = $entry } }
}

Describe 'Get-Help after a plain build' {
    It 'runs Get-Help for every cmdlet in a fresh pwsh' {
        $run.ExitCode | Should -Be 0 -Because (Format-PwshResult $run)
        $help.Count | Should -BeGreaterOrEqual 9
    }

    It 'shows every example of <Name>.md, code as written, and no fence line' -ForEach $cmdlets {
        $shown = $help[$Name]
        $shown | Should -Not -BeNullOrEmpty -Because "Get-Help $Name must find help"
        $expected = @(Get-MarkdownExample -Path $Markdown)
        $expected.Count | Should -BeGreaterThan 0
        $shown.Examples.Count | Should -Be $expected.Count
        for ($i = 0; $i -lt $expected.Count; $i++) {
            $shown.Examples[$i].Title | Should -Match ([regex]::Escape($expected[$i].Title))
            $shown.Examples[$i].Code.Replace("`r`n", "`n").StartsWith($expected[$i].Code) | Should -BeTrue -Because "example $($i + 1) of $Name must show the code of the markdown:`n$($expected[$i].Code)`nbut shows:`n$($shown.Examples[$i].Code)"
        }
        $fences = @($shown.ExamplesView -split "`r?`n" | Where-Object { $_ -match '^\s*```' })
        $fences | Should -BeNullOrEmpty -Because 'Get-Help must not show markdown fences'
        $shown.ExamplesView | Should -Match ([regex]::Escape($expected[0].Code.Split("`n")[0]))
    }

    It 'describes every parameter of <Name>' -ForEach $cmdlets {
        $shown = $help[$Name]
        $shown.Synopsis | Should -Not -Match "^\s*$Name\s" -Because 'the synopsis must be the written one, not the syntax'
        $shown.Parameters.Count | Should -BeGreaterThan 0
        foreach ($parameter in $shown.Parameters) {
            $parameter.Text | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $Name must be described"
        }
    }
}

Describe 'Remove-HelpFence (build.ps1 -Task Docs with PlatyPS 1.0.3)' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '..' '..' '..' 'build.ps1')
    }

    It 'drops the fence lines PlatyPS 1.0.3 leaves in example code, and keeps the code' {
        $path = Join-Path $TestDrive 'PSGroupChat.dll-Help.xml'
        # The shape of an example as PlatyPS 1.0.3 exports it.
        Set-Content -LiteralPath $path -Encoding utf8 -Value @'
<?xml version="1.0" encoding="utf-8"?>
<helpItems schema="maml" xmlns="http://msh">
  <command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">
    <command:details><command:name>Start-ChatPeer</command:name></command:details>
    <command:examples>
      <command:example>
        <maml:title>Example 1: Start a new chat</maml:title>
        <dev:code>```powershell
Start-ChatPeer -UserName alice -Port 5000
```

```Output
UserName Listen    State
-------- ------    -----
alice    [::]:5000 Running
```</dev:code>
        <dev:remarks><maml:para>Starts a session.</maml:para></dev:remarks>
      </command:example>
    </command:examples>
  </command:command>
</helpItems>
'@
        Remove-HelpFence -Path $path 6>$null
        [xml] $maml = Get-Content -LiteralPath $path -Raw
        $code = $maml.helpItems.command.examples.example.code
        $code -split "`n" | Where-Object { $_ -match '^\s*```' } | Should -BeNullOrEmpty
        $code | Should -Match '^Start-ChatPeer -UserName alice -Port 5000'
        $code | Should -Match 'alice    \[::\]:5000 Running'
    }
}
