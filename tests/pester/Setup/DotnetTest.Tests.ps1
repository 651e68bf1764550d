#Requires -Version 7.4
# Pester 5. Issue 12, defect 2: `dotnet test` typed at a pwsh prompt failed two help tests with a
# NullReferenceException, because pwsh puts its $PSHOME/Modules on PSModulePath and the hosted engine listed cmdlets
# of modules it cannot load. This runs those tests from this pwsh, with its PSModulePath.

BeforeAll {
    $root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..'))
    # The test assembly dotnet test (build.ps1 -Task Test) built last, whichever configuration.
    $assembly = Get-ChildItem -Path (Join-Path $root 'tests' 'unit' 'bin') -Filter 'PSGroupChat.Tests.dll' -Recurse -File |
        Where-Object { $_.Directory.Name -eq 'net10.0' } | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
}

Describe 'The help tests under pwsh''s PSModulePath' {
    It 'runs with $PSHOME/Modules on PSModulePath, the condition of the defect' {
        $env:PSModulePath -split [System.IO.Path]::PathSeparator | Should -Contain (Join-Path $PSHOME 'Modules')
    }

    It 'passes CmdletHelpTests and HelpCheckerSelfTests' {
        $assembly | Should -Not -BeNullOrEmpty -Because 'dotnet test must have built tests/unit first'
        $results = Join-Path $TestDrive 'results'
        $output = & dotnet test $assembly.FullName --filter 'FullyQualifiedName~PSGroupChat.Tests.Docs.CmdletHelpTests|FullyQualifiedName~PSGroupChat.Tests.Docs.HelpCheckerSelfTests' --results-directory $results 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -Match 'Passed!' -Because $output
        $output | Should -Not -Match 'NullReferenceException'
    }
}
