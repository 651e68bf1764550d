#Requires -Version 7.4
# How the module loads its third-party dlls: in a load context of its own, so another module's copy of the same
# assembly (another version) and ours both work in one pwsh process.

BeforeAll {
    . (Join-Path $PSScriptRoot 'CommandTestHelpers.ps1')
}

Describe 'Dependency loading' {
    It 'works next to another version of one of its dependencies loaded first, and leaves that one working' {
        $folder = Join-Path ([IO.Path]::GetTempPath()) "psgroupchat-other-$([guid]::NewGuid())"
        $null = New-Item -ItemType Directory -Path $folder
        try {
            # Another module's Microsoft.Extensions.Logging.Abstractions, version 1.2.3, compiled here with the Roslyn
            # that pwsh ships (the NuGet cache holds only the version the module uses).
            $script = @'
$ErrorActionPreference = 'Stop'
$source = 'namespace Microsoft.Extensions.Logging { public static class OtherModuleProbe { public static string Hello() => "other module works"; } }'
$tree = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText("[assembly: System.Reflection.AssemblyVersion(""1.2.3.0"")] $source")
$runtime = [IO.Path]::GetDirectoryName([object].Assembly.Location)
$references = [Microsoft.CodeAnalysis.MetadataReference[]]@(
    [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile([object].Assembly.Location)
    [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile((Join-Path $runtime 'System.Runtime.dll')))
$options = [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary)
$compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('Microsoft.Extensions.Logging.Abstractions', [Microsoft.CodeAnalysis.SyntaxTree[]]@($tree), $references, $options)
$dll = Join-Path '{FOLDER}' 'Microsoft.Extensions.Logging.Abstractions.dll'
$emitted = [Microsoft.CodeAnalysis.FileSystemExtensions]::Emit($compilation, $dll)
if (-not $emitted.Success) { throw ($emitted.Diagnostics -join "`n") }
$other = [Reflection.Assembly]::LoadFrom($dll)
"other: $($other.GetName().Version)"

Import-Module '{MANIFEST}'
$ann = Start-ChatPeer -UserName ann -Port 0
$ben = Start-ChatPeer -UserName ben -Port 0 -Peer "127.0.0.1:$($ann.Port)" -LogPath (Join-Path '{FOLDER}' 'ben.log')
Send-ChatMessage -Session $ben -Message 'hello across contexts'
"received: $(Receive-ChatMessage -Session $ann -Kind Message -Wait -Timeout 30 -Count 1 | ForEach-Object Text)"
"probe: $([Microsoft.Extensions.Logging.OtherModuleProbe]::Hello())"
$ours = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Logging.Abstractions' -and $_.GetName().Version -ne $other.GetName().Version }
"ours: $($ours.GetName().Version) in $([Runtime.Loader.AssemblyLoadContext]::GetLoadContext($ours).Name)"
Get-ChatSession | Stop-ChatPeer
'@ -replace '\{FOLDER\}', $folder -replace '\{MANIFEST\}', $script:ModuleManifest
            $run = Invoke-FreshPwsh -Script $script
            $run.Output | Should -Contain 'other: 1.2.3.0' -Because ($run.Output -join "`n")
            $run.Output | Should -Contain 'received: hello across contexts' -Because ($run.Output -join "`n")
            $run.Output | Should -Contain 'probe: other module works'
            $run.Output | Should -Contain 'ours: 8.0.0.0 in PSGroupChat'
            Get-Content (Join-Path $folder 'ben.log') -Raw | Should -Match 'ben' -Because 'the JSON-lines log works through our copy'
        }
        finally {
            Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'does not answer another assembly asking for one of its dependency names' {
        $run = Invoke-FreshPwsh -Script @"
Import-Module '$script:ModuleManifest'
`$null = Start-ChatPeer -UserName ann -Port 0   # the engine and its dependencies are loaded now
try { [Reflection.Assembly]::Load('Microsoft.Extensions.Logging, Version=8.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60').FullName } catch { 'not served' }
Get-ChatSession | Stop-ChatPeer
"@
        $run.Output | Should -Contain 'not served' -Because ($run.Output -join "`n")
    }
}
