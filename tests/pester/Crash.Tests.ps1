#Requires -Version 7.4
# Pester 5. Runs tests/pester/scenarios/Crash.ps1; docs/simulations.md explains the result it asserts on.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChatScenario.ps1')
}

Describe 'Crash' {
    BeforeAll {
        $peers = 4
        $messages = 50
        $result = Invoke-ChatScenario -Name Crash -Parameters @{ PeerCount = $peers; MessageCount = $messages }
    }

    It 'tells every other peer once, in its log and its pipeline, that P1 left with reason "connection lost"' {
        # The joins, then one "left (connection lost)" per remaining peer.
        Assert-ScenarioNotice $result -Expected ($peers * ($peers - 1) + ($peers - 1)) -Because 'every remaining peer must notice the crash'
    }

    It 'lets the others go on exchanging every message' {
        $beforeCrash = $peers * ($peers - 1) * $messages
        $afterwards = 2 * ($peers - 1) * ($peers - 2) * $messages
        Assert-ScenarioDelivery $result -Expected ($beforeCrash + $afterwards) -Because 'a crash must not cost the others a message'
    }

    It "delivers each message once, in its sender's order, with its text intact" {
        Assert-ScenarioOrder $result
    }

    It 'writes whole logs and meets every deadline' {
        Assert-ScenarioComplete $result
    }
}
