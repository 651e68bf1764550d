#Requires -Version 7.4
# Pester 5. Runs tests/pester/scenarios/GracefulLeave.ps1; docs/simulations.md explains the result it asserts on.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChatScenario.ps1')
}

Describe 'GracefulLeave' {
    BeforeAll {
        $peers = 4
        $messages = 50
        $result = Invoke-ChatScenario -Name GracefulLeave -Parameters @{ PeerCount = $peers; MessageCount = $messages }
    }

    It 'tells every other peer once, in its log and its pipeline, that P1 left gracefully' {
        # The joins, then one "left (graceful)" per remaining peer.
        Assert-ScenarioNotice $result -Expected ($peers * ($peers - 1) + ($peers - 1)) -Because 'every remaining peer must be told that P1 left'
    }

    It 'delivers what P1 sent before it left, and the others keep every message of each other' {
        $beforeLeave = $peers * ($peers - 1) * $messages
        $whileLeaving = ($peers - 1) * $messages + ($peers - 1) * ($peers - 2) * $messages
        $afterLeave = ($peers - 1) * ($peers - 2) * $messages
        Assert-ScenarioDelivery $result -Expected ($beforeLeave + $whileLeaving + $afterLeave) `
            -Because 'a graceful leave sends what is queued, and the others go on undisturbed'
    }

    It "delivers each message once, in its sender's order, with its text intact" {
        Assert-ScenarioOrder $result
    }

    It 'writes whole logs and meets every deadline' {
        Assert-ScenarioComplete $result
    }
}
