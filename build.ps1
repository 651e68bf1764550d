#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents and packages PSGroupChat.
.DESCRIPTION
    Build      dotnet build: assembles the importable module in out/PSGroupChat, with full MAML help made from
               docs/cmdlets/*.md by the build's own converter (build/ConvertMarkdownHelp.cs); no pwsh needed.
    Test       dotnet test (xunit), then every *.Tests.ps1 under tests/pester in this pwsh, with the Pester the build
               restored from NuGet (imported by path). Result files: tests/unit/TestResults/*.trx and
               tests/pester/TestResults/Pester.xml. Fails when either suite fails or Pester finds no test.
    Docs       Makes out/PSGroupChat/en-US/PSGroupChat.dll-Help.xml with whichever PlatyPS is installed
               (Microsoft.PowerShell.PlatyPS 1.x or platyPS 0.14), fences stripped from its examples; without
               PlatyPS, says that the build's converter made it.
    UpdateDocs Refreshes docs/cmdlets from the built module with PlatyPS, keeping the hand-written text.
    Package    Builds Release into out/release/PSGroupChat (no .pdb, no doc-comment XML), adds the help and the
               release notes of CHANGELOG.md, and publishes PSGroupChat.<version>.nupkg with Publish-PSResource into
               a local folder repository (-RepositoryPath, default out/repository).
    Clean      Removes out/ and every bin/ and obj/ folder.
.EXAMPLE
    ./build.ps1 -Task Build, Test
.EXAMPLE
    ./build.ps1 -Task Package -RepositoryPath ~/psrepo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'UpdateDocs', 'Package', 'Clean')]
    [string[]] $Task = @('Build'),

    # For Build and Test; Package always builds Release.
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # The local folder repository Package publishes into.
    [string] $RepositoryPath = (Join-Path $PSScriptRoot 'out' 'repository')
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

function Get-PesterManifest {
    # Pester is a PackageDownload of the test project (restored by dotnet build/test, honouring NUGET_PACKAGES), and is
    # imported by this path: never the Pester the caller may have on PSModulePath.
    $project = Join-Path $root 'tests' 'unit' 'PSGroupChat.Tests.csproj'
    $path = & dotnet msbuild $project -nologo -getProperty:PesterManifest
    if ($LASTEXITCODE -ne 0 -or -not $path) { throw "dotnet msbuild could not tell where the restored Pester is (exit code $LASTEXITCODE)." }
    $path = "$path".Trim()
    if (-not (Test-Path -LiteralPath $path)) {
        Invoke-Dotnet restore $project
    }
    if (-not (Test-Path -LiteralPath $path)) { throw "Pester was not restored to $path; run: dotnet restore $project" }
    return $path
}

function Invoke-Test {
    # Both suites always run, so that one failure does not hide the other's results; the task fails at the end when
    # either did. .ci/run reads the two result files for its closing line.
    $failures = @()
    # Sessions started by the tests make identity keys and known-peers files: in a folder of the run's own, never in the
    # user's real ~/.config (every pwsh the tests start inherits it).
    $savedConfigHome = $env:XDG_CONFIG_HOME
    # Fresh for every run: a run killed before its cleanup would otherwise hand its known_peers to a later one of the same $PID.
    $env:XDG_CONFIG_HOME = Join-Path ([System.IO.Path]::GetTempPath()) "psgroupchat-test-config-$PID-$([guid]::NewGuid().ToString('N'))"
    try {
    $trx = Join-Path $root 'tests' 'unit' 'TestResults'
    Remove-Item -LiteralPath $trx -Recurse -Force -ErrorAction SilentlyContinue
    Write-Host "dotnet test $(Join-Path $root 'PSGroupChat.sln') -c $Configuration" -ForegroundColor Cyan
    & dotnet test (Join-Path $root 'PSGroupChat.sln') -c $Configuration
    if ($LASTEXITCODE -ne 0) { $failures += "dotnet test (xunit) failed with exit code $LASTEXITCODE" }

    $pesterManifest = Get-PesterManifest
    Get-Module -Name Pester | Remove-Module -Force
    $pester = Import-Module -Name $pesterManifest -Force -PassThru
    Write-Host "Pester $($pester.Version) from $($pester.ModuleBase)" -ForegroundColor Cyan
    $pesterResults = Join-Path $root 'tests' 'pester' 'TestResults'
    Remove-Item -LiteralPath $pesterResults -Recurse -Force -ErrorAction SilentlyContinue
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = Join-Path $root 'tests' 'pester'   # every *.Tests.ps1 below it, recursively
    $configuration.Run.Exit = $false
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = Join-Path $pesterResults 'Pester.xml'
    $result = Invoke-Pester -Configuration $configuration
    if ($result.TotalCount -eq 0) { $failures += 'Pester found no test in tests/pester' }
    if ($result.FailedCount -gt 0) { $failures += "$($result.FailedCount) Pester test(s) failed" }
    if ($result.FailedContainersCount -gt 0) { $failures += "$($result.FailedContainersCount) Pester file(s) could not run: $($result.FailedContainers.Item -join ', ')" }
    if ($result.FailedBlocksCount -gt 0) { $failures += "$($result.FailedBlocksCount) Pester block(s) failed in BeforeAll/AfterAll" }
    } finally {
        Remove-Item -LiteralPath $env:XDG_CONFIG_HOME -Recurse -Force -ErrorAction SilentlyContinue
        $env:XDG_CONFIG_HOME = $savedConfigHome
    }
    if ($failures.Count -gt 0) { throw ($failures -join "; ") }
}

function Get-PlatyPS {
    # Microsoft.PowerShell.PlatyPS 1.x when installed, else classic platyPS 0.14; $null when neither is (with a warning
    # saying what to install, unless -Quiet): the build's own converter has made the help from the same markdown.
    param([string] $Purpose, [switch] $Quiet)
    $modern = Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS |
        Where-Object { $_.Version -ge [version]'1.0.0' } | Sort-Object Version -Descending | Select-Object -First 1
    if ($modern) { return $modern }
    $classic = Get-Module -ListAvailable -Name platyPS |
        Where-Object { $_.Version -ge [version]'0.14.0' -and $_.Version -lt [version]'1.0.0' } |
        Sort-Object Version -Descending | Select-Object -First 1
    if ($classic) { return $classic }
    if ($Quiet) { return $null }
    Write-Warning ("Neither Microsoft.PowerShell.PlatyPS 1.x nor platyPS 0.14 is installed, so $Purpose. Install one: " +
        'Install-PSResource Microsoft.PowerShell.PlatyPS (or Install-Module platyPS -RequiredVersion 0.14.2). ' +
        "The build's own converter made the help from the same markdown (dotnet build).")
    return $null
}

function Remove-HelpFence {
    # PlatyPS 1.0.3 keeps the markdown fences (```powershell, ```Output, ```) inside each example's code, and Get-Help
    # shows them; the fence lines are dropped, the code between them is kept.
    param([Parameter(Mandatory)] [string] $Path)
    [xml] $maml = Get-Content -LiteralPath $Path -Raw
    $namespaces = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
    $namespaces.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
    $stripped = 0
    foreach ($code in $maml.SelectNodes('//dev:code', $namespaces)) {
        $lines = $code.InnerText -split "\r?\n"
        $kept = @($lines | Where-Object { $_ -notmatch '^\s*```\s*[A-Za-z0-9_-]*\s*$' })
        if ($kept.Count -ne $lines.Count) {
            $code.InnerText = ($kept -join "`n").Trim("`n")
            $stripped++
        }
    }
    if ($stripped -gt 0) {
        $maml.Save($Path)
        Write-Host "Removed markdown fences from $stripped example(s) of $Path" -ForegroundColor Yellow
    }
}

function Write-PlatyPSHelp {
    # Writes the MAML of docs/cmdlets to $Target with PlatyPS.
    param([Parameter(Mandatory)] $Platy, [Parameter(Mandatory)] [string] $Target)
    Import-Module $Platy -Force
    $markdown = @(Get-ChildItem -Path $docsFolder -Filter '*.md' -File | Sort-Object Name)
    if ($markdown.Count -eq 0) { throw "There is no cmdlet help in $docsFolder." }
    New-Item -ItemType Directory -Path (Split-Path $Target) -Force | Out-Null

    # PowerShell looks for a binary module's help in en-US/<assembly>-Help.xml, which is what the markdown's
    # 'external help file' says. platyPS 0.14 writes that file straight into its output folder; PlatyPS 1.x writes it
    # into a subfolder named after the module (and 1.0.0 named it <module>-Help.xml). So both write into a scratch
    # folder, and the one file they made is moved to where PowerShell looks.
    $scratch = Join-Path ([System.IO.Path]::GetTempPath()) ('PSGroupChat-help-' + [guid]::NewGuid().ToString('N'))
    try {
        if ($Platy.Name -eq 'Microsoft.PowerShell.PlatyPS') {
            Import-MarkdownCommandHelp -LiteralPath $markdown.FullName | Export-MamlCommandHelp -OutputFolder $scratch -Force | Out-Null
        }
        else {
            New-ExternalHelp -Path $markdown.FullName -OutputPath $scratch -Force | Out-Null
        }
        $written = @(Get-ChildItem -Path $scratch -Filter '*.xml' -File -Recurse)
        if ($written.Count -ne 1) {
            throw "$($Platy.Name) $($Platy.Version) wrote $($written.Count) help files instead of one: $($written.FullName -join ', ')"
        }
        Move-Item -LiteralPath $written[0].FullName -Destination $Target -Force
    }
    finally {
        Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
    }
    Remove-HelpFence -Path $Target
    Write-Host "Help for $($markdown.Count) cmdlets written to $Target by $($Platy.Name) $($Platy.Version)" -ForegroundColor Green
}

function Invoke-Docs {
    $target = Join-Path $helpFolder 'PSGroupChat.dll-Help.xml'
    $platy = Get-PlatyPS -Quiet
    if ($platy) {
        Write-PlatyPSHelp -Platy $platy -Target $target
        return
    }
    # Without PlatyPS the build's converter is the help compiler; building makes (or refreshes) the file.
    Invoke-Build
    if (-not (Test-Path -LiteralPath $target)) { throw "The build did not write $target." }
    Write-Host "PlatyPS is not installed: the help in $target was made by the build's markdown converter (build/ConvertMarkdownHelp.cs)" -ForegroundColor Green
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

function Get-ReleaseNote {
    # The section of CHANGELOG.md for $Version ("## [0.1.0] - 2026-11-30" up to the next "## "), without its heading.
    param([Parameter(Mandatory)] [string] $Version)
    $changelog = Join-Path $root 'CHANGELOG.md'
    $lines = Get-Content -LiteralPath $changelog
    $start = -1
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match "^## \[$([regex]::Escape($Version))\]") { $start = $i; break }
    }
    if ($start -lt 0) { throw "CHANGELOG.md has no section '## [$Version]': add the release notes of $Version before packaging it." }
    $notes = for ($i = $start + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^## '; $i++) { $lines[$i] }
    $text = ($notes -join "`n").Trim()
    if (-not $text) { throw "The section '## [$Version]' of CHANGELOG.md is empty." }
    return $text
}

function Invoke-Package {
    $release = Join-Path $root 'out' 'release' 'PSGroupChat'
    Remove-Item -LiteralPath $release -Recurse -Force -ErrorAction SilentlyContinue
    # Release, into a folder of its own, so that a pwsh that has the Debug out/PSGroupChat loaded is not disturbed.
    Invoke-Dotnet build (Join-Path $root 'src' 'PSGroupChat' 'PSGroupChat.csproj') -c Release "-p:PSGroupChatModuleDir=$release/"

    $help = Join-Path $release 'en-US' 'PSGroupChat.dll-Help.xml'
    $platy = Get-PlatyPS -Quiet
    if ($platy) {
        Write-PlatyPSHelp -Platy $platy -Target $help
        $helpSource = "$($platy.Name) $($platy.Version)"
    }
    else {
        $helpSource = "the build's markdown converter (build/ConvertMarkdownHelp.cs); PlatyPS is not installed"
    }
    if (Test-Path -LiteralPath $help) {
        $count = ([xml] (Get-Content -LiteralPath $help -Raw)).helpItems.command.Count
        Write-Host "The package holds MAML help for $count cmdlets, made by $helpSource" -ForegroundColor Green
    }
    else {
        Write-Warning "The package holds NO MAML help ($help is missing): Get-Help will show syntax only."
    }

    $manifest = Join-Path $release 'PSGroupChat.psd1'
    $version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
    $notes = Get-ReleaseNote -Version $version
    $text = Get-Content -LiteralPath $manifest -Raw
    $pattern = "ReleaseNotes(\s*)=(\s*)'[^']*'"
    if ($text -notmatch $pattern) { throw "module/PSGroupChat.psd1 has no ReleaseNotes = '...' entry to fill." }
    $text = [regex]::Replace($text, $pattern, { param($m) "ReleaseNotes$($m.Groups[1].Value)=$($m.Groups[2].Value)'$($notes.Replace("'", "''"))'" })
    Set-Content -LiteralPath $manifest -Value $text -NoNewline -Encoding utf8
    $null = Test-ModuleManifest -Path $manifest -ErrorAction Stop

    $leftovers = @(Get-ChildItem -LiteralPath $release -Recurse -File | Where-Object {
            $_.Extension -in '.pdb', '.json', '.deps', '.cache' -or ($_.Extension -eq '.xml' -and $_.Directory.Name -ne 'en-US') })
    if ($leftovers.Count -gt 0) { throw "Build leftovers in $release`: $($leftovers.FullName -join ', ')" }

    # Publish-PSResource publishes only to a registered repository; a temporary registration of the folder, removed
    # afterwards, leaves the user's own repositories as they were.
    New-Item -ItemType Directory -Path $RepositoryPath -Force | Out-Null
    $RepositoryPath = (Resolve-Path -LiteralPath $RepositoryPath).ProviderPath
    $nupkg = Join-Path $RepositoryPath "PSGroupChat.$version.nupkg"
    Remove-Item -LiteralPath $nupkg -Force -ErrorAction SilentlyContinue
    $repository = 'PSGroupChatBuild-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Register-PSResourceRepository -Name $repository -Uri $RepositoryPath -Trusted
    try {
        Publish-PSResource -Path $release -Repository $repository -ErrorAction Stop
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
    if (-not (Test-Path -LiteralPath $nupkg)) { throw "Publish-PSResource did not write $nupkg." }
    Write-Host "Packed $nupkg (PSGroupChat $version, Release) into the repository folder $RepositoryPath" -ForegroundColor Green
}

function Invoke-Clean {
    Remove-Item -Path (Join-Path $root 'out') -Recurse -Force -ErrorAction SilentlyContinue
    Get-ChildItem -Path $root -Directory -Recurse -Include 'bin', 'obj' | Remove-Item -Recurse -Force
}

# Dot-sourced (as tests/pester/Setup does), the script only defines its functions.
if ($MyInvocation.InvocationName -eq '.') { return }

foreach ($step in $Task) {
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
        'UpdateDocs' { Invoke-UpdateDocs }
        'Clean' { Invoke-Clean }
    }
}
