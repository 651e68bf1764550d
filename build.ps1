#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and documents PSGroupChat.
.DESCRIPTION
    Build      dotnet build: assembles the importable module in out/PSGroupChat (no pwsh needed for this part).
    Test       dotnet test (xunit, which also runs every simulation through a hosted engine), then Invoke-Pester
               tests/pester when Pester 5 is installed.
    Docs       Turns docs/cmdlets/*.md into out/PSGroupChat/en-US/PSGroupChat.dll-Help.xml with whichever PlatyPS is
               installed: Microsoft.PowerShell.PlatyPS 1.x or platyPS 0.14.
    UpdateDocs Refreshes docs/cmdlets from the built module, keeping the hand-written text.
    Clean      Removes out/ and every bin/ and obj/ folder.
.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'UpdateDocs', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out' 'PSGroupChat'
$docsFolder = Join-Path $root 'docs' 'cmdlets'
$helpFolder = Join-Path $moduleFolder 'en-US'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $root 'PSGroupChat.sln') -c $Configuration
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'PSGroupChat.sln') -c $Configuration
    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0' } |
        Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed, so tests/pester was not run (dotnet test already ran every scenario). Install it with: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
        return
    }
    Import-Module $pester -Force
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = Join-Path $root 'tests' 'pester'
    $configuration.Run.Exit = $false
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $configuration
    if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
}

function Get-PlatyPS {
    # Microsoft.PowerShell.PlatyPS 1.x when installed, else classic platyPS 0.14; $null (with a warning saying what to
    # install) when neither is, so that a build without PlatyPS still succeeds: the module then has syntax-only help.
    param([string] $Purpose)
    $modern = Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS |
        Where-Object { $_.Version -ge [version]'1.0.0' } | Sort-Object Version -Descending | Select-Object -First 1
    if ($modern) { return $modern }
    $classic = Get-Module -ListAvailable -Name platyPS |
        Where-Object { $_.Version -ge [version]'0.14.0' -and $_.Version -lt [version]'1.0.0' } |
        Sort-Object Version -Descending | Select-Object -First 1
    if ($classic) { return $classic }
    Write-Warning ("Neither Microsoft.PowerShell.PlatyPS 1.x nor platyPS 0.14 is installed, so $Purpose. Install one: " +
        'Install-PSResource Microsoft.PowerShell.PlatyPS (or Install-Module platyPS -RequiredVersion 0.14.2). ' +
        'The module works without it, with syntax-only help.')
    return $null
}

function Invoke-Docs {
    $platy = Get-PlatyPS -Purpose "the MAML help was not made from $docsFolder"
    if (-not $platy) { return }
    Import-Module $platy -Force
    $markdown = @(Get-ChildItem -Path $docsFolder -Filter '*.md' -File | Sort-Object Name)
    if ($markdown.Count -eq 0) { throw "There is no cmdlet help in $docsFolder." }
    New-Item -ItemType Directory -Path $helpFolder -Force | Out-Null
    $target = Join-Path $helpFolder 'PSGroupChat.dll-Help.xml'

    # PowerShell looks for a binary module's help in en-US/<assembly>-Help.xml, which is what the markdown's
    # 'external help file' says. platyPS 0.14 writes that file straight into its output folder; PlatyPS 1.x writes it
    # into a subfolder named after the module (and 1.0.0 named it <module>-Help.xml). So both write into a scratch
    # folder, and the one file they made is moved to where PowerShell looks.
    $scratch = Join-Path ([System.IO.Path]::GetTempPath()) ('PSGroupChat-help-' + [guid]::NewGuid().ToString('N'))
    try {
        if ($platy.Name -eq 'Microsoft.PowerShell.PlatyPS') {
            Import-MarkdownCommandHelp -LiteralPath $markdown.FullName | Export-MamlCommandHelp -OutputFolder $scratch -Force | Out-Null
        }
        else {
            New-ExternalHelp -Path $markdown.FullName -OutputPath $scratch -Force | Out-Null
        }
        $written = @(Get-ChildItem -Path $scratch -Filter '*.xml' -File -Recurse)
        if ($written.Count -ne 1) {
            throw "$($platy.Name) $($platy.Version) wrote $($written.Count) help files instead of one: $($written.FullName -join ', ')"
        }
        Move-Item -LiteralPath $written[0].FullName -Destination $target -Force
    }
    finally {
        Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
    }
    Write-Host "Help for $($markdown.Count) cmdlets written to $target by $($platy.Name) $($platy.Version)" -ForegroundColor Green
}

function Invoke-UpdateDocs {
    $manifest = Join-Path $moduleFolder 'PSGroupChat.psd1'
    if (-not (Test-Path $manifest)) { throw "The module is not built yet: run ./build.ps1 -Task Build, UpdateDocs" }
    $platy = Get-PlatyPS -Purpose "$docsFolder was not refreshed"
    if (-not $platy) { return }
    Import-Module $platy -Force
    Import-Module $manifest -Force
    $markdown = @(Get-ChildItem -Path $docsFolder -Filter '*.md' -File | Sort-Object Name)
    if ($markdown.Count -eq 0) { throw "There is no cmdlet help in $docsFolder." }
    $modern = $platy.Name -eq 'Microsoft.PowerShell.PlatyPS'

    # Syntax and parameter metadata come from the built cmdlets; descriptions, examples, notes and links are kept.
    # PlatyPS 1.x rewrites the files in its own schema (the tests read both); git holds the previous text, so no .bak.
    # One file at a time, so that a file PlatyPS cannot merge is named and the others are still refreshed.
    $failed = @()
    foreach ($file in $markdown) {
        try {
            if ($modern) { Update-MarkdownCommandHelp -LiteralPath $file.FullName -NoBackup -ErrorAction Stop | Out-Null }
            else { Update-MarkdownHelp -Path $file.FullName -AlphabeticParamsOrder:$false -ErrorAction Stop | Out-Null }
        }
        catch {
            $failed += "$($file.Name): $($_.Exception.Message)"
        }
    }

    # A cmdlet without a help file gets a new one, with placeholders to fill in (the tests fail until they are).
    $new = @(Get-Command -Module PSGroupChat -CommandType Cmdlet |
        Where-Object { -not (Test-Path (Join-Path $docsFolder "$($_.Name).md")) })
    if ($new.Count -gt 0) {
        if ($modern) {
            # 1.x writes into a subfolder named after the module.
            $scratch = Join-Path ([System.IO.Path]::GetTempPath()) ('PSGroupChat-md-' + [guid]::NewGuid().ToString('N'))
            try {
                New-MarkdownCommandHelp -CommandInfo $new -OutputFolder $scratch -Force | Out-Null
                Get-ChildItem -Path $scratch -Filter '*.md' -File -Recurse |
                    Where-Object { $new.Name -contains $_.BaseName } |
                    Move-Item -Destination $docsFolder
            }
            finally {
                Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
            }
        }
        else {
            New-MarkdownHelp -Command $new.Name -OutputFolder $docsFolder | Out-Null
        }
        Write-Warning "New help files to complete: $($new.Name -join ', ')"
    }
    if ($failed.Count -gt 0) { throw "$($platy.Name) could not refresh $($failed.Count) file(s); update them by hand:`n$($failed -join "`n")" }
    Write-Host "Markdown in $docsFolder refreshed from the built module by $($platy.Name) $($platy.Version); review it with git diff" -ForegroundColor Green
}

function Invoke-Clean {
    Remove-Item -Path (Join-Path $root 'out') -Recurse -Force -ErrorAction SilentlyContinue
    Get-ChildItem -Path $root -Directory -Recurse -Include 'bin', 'obj' | Remove-Item -Recurse -Force
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Docs' { Invoke-Docs }
        'UpdateDocs' { Invoke-UpdateDocs }
        'Clean' { Invoke-Clean }
    }
}
