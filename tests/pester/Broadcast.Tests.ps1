#Requires -Version 7.4
# Pester 5. Runs tests/pester/scenarios/Broadcast.ps1; docs/simulations.md explains the result it asserts on.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChatScenario.ps1')
}

Describe 'Broadcast' {
    Context '<PeerCount> peers in a full mesh, 100 messages each' -ForEach @(
        @{ PeerCount = 3 }
        @{ PeerCount = 10 }
    ) {
        BeforeAll {
            $messages = 100
            $result = Invoke-ChatScenario -Name Broadcast -Parameters @{ PeerCount = $PeerCount; MessageCount = $messages }
        }

        It 'has every peer log every message of every other peer' {
            $result.MessagesSent | Should -Be ($PeerCount * $messages)
            Assert-ScenarioDelivery $result -Expected ($PeerCount * ($PeerCount - 1) * $messages) -Because 'every peer must receive every message of the others'
        }

        It "delivers each message once, in its sender's order, with its text intact" {
            Assert-ScenarioOrder $result
        }

        It 'tells every peer once, in its log and its pipeline, that each other one joined' {
            Assert-ScenarioNotice $result -Expected ($PeerCount * ($PeerCount - 1)) -Because 'every join must be reported'
        }

        It 'writes whole logs and meets every deadline' {
            Assert-ScenarioComplete $result
        }
    }
}
