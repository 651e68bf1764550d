# The fault suite's fast subset (docs/faults.md): five hosts in network namespaces behind the suite's own fault layer,
# one pwsh peer process per host, and the short phases (FaultPhases.ps1, Ci = $true), each judged per sender-receiver
# pair against issue 14's guarantee (FaultCollector.ps1). The long phases run in tests/faults/Invoke-FaultSuite.ps1.
# Needs root, iproute2 and /dev/net/tun; where any is missing every test skips naming it.

BeforeAll {
    . (Join-Path $PSScriptRoot '..' '..' 'faults' 'FaultNet.ps1')
}

BeforeDiscovery {
    . (Join-Path $PSScriptRoot '..' '..' 'faults' 'FaultHarness.ps1')
    . (Join-Path $PSScriptRoot '..' '..' 'faults' 'FaultPhases.ps1')
    $ciPhases = @(Get-FaultPhase | Where-Object Ci | ForEach-Object { @{ Name = $_.Name } })
}

Describe 'Five peers behind the fault layer (the fast subset)' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '..' '..' 'faults' 'FaultHarness.ps1')
        . (Join-Path $PSScriptRoot '..' '..' 'faults' 'FaultPhases.ps1')
        $module = Join-Path $PSScriptRoot '..' '..' '..' 'out' 'PSGroupChat' 'PSGroupChat.psd1'
        $skip = Get-FaultNetProblem
        $results = @{}
        $chat = $null
        if (-not $skip) {
            $chat = New-FaultChat -Folder (Join-Path $TestDrive 'faults') -Module ([System.IO.Path]::GetFullPath($module))
            $script:faultProcesses = $chat.Net.Processes
            foreach ($spec in @(Get-FaultPhase | Where-Object Ci)) { $null = Invoke-FaultPhaseSpec -Chat $chat -Spec $spec }
            Wait-FaultDrain $chat
            foreach ($result in Measure-FaultChat $chat) { $results[$result.Phase] = $result }
        }
        else { Write-Warning "The fault suite skips: $skip" }
    }

    AfterAll {
        Remove-FaultChat $chat
    }

    It 'holds through <Name>: nothing lost without a notice, no duplicate, sender order kept, the Left/Joined demanded, the mesh back in time' -ForEach $ciPhases {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $result = $results[$Name]
        $result | Should -Not -BeNullOrEmpty
        $result.Expected | Should -BeGreaterThan 500 -Because 'five peers send for the whole phase'
        $result.Problems -join '; ' | Should -BeNullOrEmpty
        $result.Verdict | Should -Be 'PASS'
    }

    It 'injected every fault it claims (the fault layer counted drops, reorders and duplicates)' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $results['loss 5%'].Dropped | Should -BeGreaterThan 20
        $results['loss 15%'].Dropped | Should -BeGreaterThan $results['loss 5%'].Dropped
        $results['reorder 20%, duplicate 5%'].Reordered | Should -BeGreaterThan 20
        $results['reorder 20%, duplicate 5%'].Duplicated | Should -BeGreaterThan 5
        $results['h3 cut off 2 s'].Dropped | Should -BeGreaterThan 10 -Because 'the cut drops every packet to and from h3'
        $results['delay 50 ms, jitter 40 ms'].Dropped | Should -Be 0
    }
}

Describe 'The fast fault subset cleans up' {
    It 'leaves no namespace, TUN device or process of its own behind' {
        if (Get-FaultNetProblem) { Set-ItResult -Skipped -Because (Get-FaultNetProblem); return }
        @(& ip netns list | Where-Object { $_ -like "pgf$PID*" }) | Should -BeNullOrEmpty
        @($script:faultProcesses | Where-Object { -not $_.HasExited }) | Should -BeNullOrEmpty
        $script:faultProcesses.Count | Should -BeGreaterThan 5 -Because 'the fault layer and five peers ran'
    }
}
