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
    $modern = Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS | Sort-Object Version -Descending | Select-Object -First 1
    if ($modern) { return $modern }
    $classic = Get-Module -ListAvailable -Name platyPS | Sort-Object Version -Descending | Select-Object -First 1
    if ($classic) { return $classic }
    throw 'Neither Microsoft.PowerShell.PlatyPS nor platyPS is installed. Install one: Install-PSResource Microsoft.PowerShell.PlatyPS (or Install-Module platyPS -RequiredVersion 0.14.2). The module works without them, with syntax-only help.'
}

function Invoke-Docs {
    $platy = Get-PlatyPS
    Import-Module $platy -Force
    New-Item -ItemType Directory -Path $helpFolder -Force | Out-Null
    $markdown = Get-ChildItem -Path $docsFolder -Filter '*.md'
    if ($platy.Name -eq 'Microsoft.PowerShell.PlatyPS') {
        $help = $markdown | ForEach-Object { Import-MarkdownCommandHelp -Path $_.FullName }
        $help | Export-MamlCommandHelp -OutputFolder $helpFolder -Force | Out-Null
        # PlatyPS 1.x writes into a folder named after the module; the module loads help from en-US itself.
        $nested = Join-Path $helpFolder 'PSGroupChat'
        if (Test-Path $nested) {
            Get-ChildItem $nested -Filter '*.xml' | Move-Item -Destination $helpFolder -Force
            Remove-Item $nested -Recurse -Force
        }
    }
    else {
        New-ExternalHelp -Path $docsFolder -OutputPath $helpFolder -Force | Out-Null
    }
    Write-Host "Help written to $helpFolder" -ForegroundColor Green
}

function Invoke-UpdateDocs {
    $platy = Get-PlatyPS
    Import-Module $platy -Force
    Import-Module (Join-Path $moduleFolder 'PSGroupChat.psd1') -Force
    if ($platy.Name -eq 'Microsoft.PowerShell.PlatyPS') {
        Get-ChildItem -Path $docsFolder -Filter '*.md' | ForEach-Object {
            Update-MarkdownCommandHelp -Path $_.FullName | Out-Null
        }
    }
    else {
        Update-MarkdownHelp -Path $docsFolder -AlphabeticParamsOrder:$false | Out-Null
    }
    Write-Host "Markdown in $docsFolder refreshed from the built module" -ForegroundColor Green
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
