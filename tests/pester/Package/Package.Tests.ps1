#Requires -Version 7.4
# Pester 5. Issue 12, defect 11: ./build.ps1 -Task Package builds Release and publishes a versioned .nupkg into a
# local folder repository; Install-PSResource installs it into a temporary location; a fresh pwsh imports it by name,
# and two peers chat. The pwsh that installs and the one that chats get a HOME in TestDrive (and no XDG_DATA_HOME,
# no PSModulePath of the caller's): PSResourceGet's repository list and the CurrentUser module folder, which both
# PSResourceGet and pwsh derive from HOME on Linux and macOS, are then temporary, and the user's stay untouched.
# The package build keeps the real HOME (its NuGet cache); it registers its folder repository only for the moment
# it publishes.

BeforeAll {
    . (Join-Path $PSScriptRoot '..' 'PwshProcess.ps1')
    $version = (Import-PowerShellDataFile -LiteralPath (Join-Path $PwshRepositoryRoot 'module' 'PSGroupChat.psd1')).ModuleVersion
    $repository = Join-Path $TestDrive 'repository'
    $data = Join-Path $TestDrive 'home'
    New-Item -ItemType Directory -Path $data | Out-Null
    $isolated = @{ HOME = $data; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null; PSModulePath = $null }
    $build = Invoke-PwshProcess -Environment @{ PSModulePath = $null } -Seconds 600 -Script @"
& '$((Join-Path $PwshRepositoryRoot 'build.ps1').Replace("'", "''"))' -Task Package -RepositoryPath '$($repository.Replace("'", "''"))'
"@
    $nupkg = Join-Path $repository "PSGroupChat.$version.nupkg"
    $entries = @()
    if (Test-Path -LiteralPath $nupkg) {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
        try { $entries = @($zip.Entries.FullName | ForEach-Object { [uri]::UnescapeDataString($_) }) } finally { $zip.Dispose() }
    }
    # What NuGet itself puts in every package, beside the module.
    $moduleFiles = @($entries | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|PSGroupChat\.nuspec$)' })
}

Describe 'build.ps1 -Task Package' {
    It 'publishes PSGroupChat.<version>.nupkg into the folder repository' {
        $build.ExitCode | Should -Be 0 -Because (Format-PwshResult $build)
        $nupkg | Should -Exist
    }

    It 'builds Release: no .pdb, no doc-comment XML, no other build leftovers' {
        $moduleFiles | Should -Not -BeNullOrEmpty
        $moduleFiles | Where-Object { $_ -match '\.(pdb|deps\.json|json|cache)$' } | Should -BeNullOrEmpty
        $moduleFiles | Where-Object { $_ -like '*.xml' -and $_ -notlike 'en-US/*' } | Should -BeNullOrEmpty
        $own = @($moduleFiles | Where-Object { $_ -notlike 'dependencies/*' } | Sort-Object)
        $own | Should -Be @('en-US/about_PSGroupChat.help.txt', 'en-US/PSGroupChat.dll-Help.xml', 'LICENSE', 'PSGroupChat.Core.dll', 'PSGroupChat.dll', 'PSGroupChat.Format.ps1xml', 'PSGroupChat.LoadContext.dll', 'PSGroupChat.psd1' | Sort-Object)
        $moduleFiles | Where-Object { $_ -like 'dependencies/*' } | Where-Object { $_ -notlike '*.dll' } | Should -BeNullOrEmpty
        $moduleFiles | Should -Not -Contain 'dependencies/System.Management.Automation.dll'
    }

    It 'holds the MAML help and says which tool made it' {
        $moduleFiles | Should -Contain 'en-US/PSGroupChat.dll-Help.xml'
        $build.Output | Should -Match 'The package holds MAML help for \d+ cmdlets, made by '
    }

    It 'fills the manifest: LicenseUri, ProjectUri, Tags, ReleaseNotes from CHANGELOG.md, DotNetFrameworkVersion' {
        $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $PwshRepositoryRoot 'out' 'release' 'PSGroupChat' 'PSGroupChat.psd1')
        $manifest.ModuleVersion | Should -Be $version
        $manifest.DotNetFrameworkVersion | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.LicenseUri | Should -Match '^https://'
        $manifest.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'chat'
        $changelog = Get-Content -LiteralPath (Join-Path $PwshRepositoryRoot 'CHANGELOG.md') -Raw
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
        $changelog.Replace("`r`n", "`n") | Should -BeLike "*## ``[$version``]*$($manifest.PrivateData.PSData.ReleaseNotes.Split("`n")[0])*"
    }

    It 'gives the assemblies the manifest''s version (one source)' {
        $dll = Join-Path $PwshRepositoryRoot 'out' 'release' 'PSGroupChat' 'PSGroupChat.dll'
        [System.Reflection.AssemblyName]::GetAssemblyName($dll).Version.ToString(3) | Should -Be ([version] $version).ToString(3)
    }
}

Describe 'The published package' {
    BeforeAll {
        $install = Invoke-PwshProcess -Environment $isolated -Seconds 300 -Script @"
`$ErrorActionPreference = 'Stop'
# Never into the user's own module folder: stop unless CurrentUser resolves into the temporary HOME.
`$personal = [Environment]::GetFolderPath('LocalApplicationData')
if (-not `$personal.StartsWith('$($data.Replace("'", "''"))')) { throw "CurrentUser would be `$personal, not the temporary HOME" }
Register-PSResourceRepository -Name PSGroupChatTest -Uri '$($repository.Replace("'", "''"))' -Trusted
Install-PSResource -Name PSGroupChat -Version '$version' -Repository PSGroupChatTest -Scope CurrentUser -TrustRepository
(Get-InstalledPSResource -Name PSGroupChat -Scope CurrentUser).InstalledLocation
"@
        $chat = Invoke-PwshProcess -Environment $isolated -Seconds 120 -WorkingDirectory $TestDrive -Script @'
$ErrorActionPreference = 'Stop'
Import-Module -Name PSGroupChat
"module: $((Get-Module PSGroupChat).ModuleBase)"
$a = Start-ChatPeer -UserName alice -ListenAddress 127.0.0.1
$b = Start-ChatPeer -UserName bob -ListenAddress 127.0.0.1 -Peer "127.0.0.1:$($a.Port)"
Send-ChatMessage -Session $a -Message 'hi bob'
$m = Receive-ChatMessage -Session $b -Wait -Kind Message -Count 1 -Timeout 30
"bob got: $($m.Sender): $($m.Text)"
Send-ChatMessage -Session $b -Message 'hi alice'
$m = Receive-ChatMessage -Session $a -Wait -Kind Message -Count 1 -Timeout 30
"alice got: $($m.Sender): $($m.Text)"
"examples: $(@((Get-Help Start-ChatPeer).examples.example).Count)"
Get-ChatSession | Stop-ChatPeer
'@
    }

    It 'installs with Install-PSResource into a temporary location' {
        $install.ExitCode | Should -Be 0 -Because (Format-PwshResult $install)
        $install.Output | Should -Match ([regex]::Escape($data))
    }

    It 'imports by name in a fresh pwsh, and two peers chat' {
        $chat.ExitCode | Should -Be 0 -Because (Format-PwshResult $chat)
        $chat.Output | Should -Match "module: $([regex]::Escape($data))"
        $chat.Output | Should -Match 'bob got: alice: hi bob'
        $chat.Output | Should -Match 'alice got: bob: hi alice'
        $chat.Output | Should -Match 'examples: [1-9]'
    }
}
