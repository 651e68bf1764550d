#Requires -Version 7.4
# Pester 5. Runs tests/pester/scenarios/SeedTopology.ps1; docs/simulations.md explains the result it asserts on.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChatScenario.ps1')
}

Describe 'SeedTopology' {
    BeforeAll {
        $messages = 100
        $result = Invoke-ChatScenario -Name SeedTopology -Parameters @{ MessageCount = $messages }
    }

    It 'has every peer log every message of the others, before and after P1 leaves' {
        Assert-ScenarioDelivery $result -Expected (3 * 2 * $messages + 2 * $messages) -Because 'every peer must receive every message of the others'
    }

    It "delivers each message once, in its sender's order, with its text intact" {
        Assert-ScenarioOrder $result
    }

    It 'tells P0 and P2 once, in their logs and pipelines, that P1 left gracefully' {
        # The joins, then P1's leave at P0 and at P2.
        Assert-ScenarioNotice $result -Expected (3 * 2 + 2) -Because 'P0 and P2 must be told that P1 left'
    }

    It 'writes whole logs and meets every deadline' {
        Assert-ScenarioComplete $result
    }
}
