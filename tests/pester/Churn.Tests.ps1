#Requires -Version 7.4
# Pester 5. Runs tests/pester/scenarios/Churn.ps1; docs/simulations.md explains the result it asserts on.

BeforeAll {
    . (Join-Path $PSScriptRoot 'ChatScenario.ps1')
}

Describe 'Churn' {
    Context 'churn peers that <Departure>' -ForEach @(
        @{ Departure = 'leave'; Crash = $false }
        @{ Departure = 'crash'; Crash = $true }
    ) {
        BeforeAll {
            $stable = 3
            $churning = 2
            $rounds = 3
            $messages = 10
            $result = Invoke-ChatScenario -Name Churn -Parameters @{
                PeerCount = $stable; ChurnPeerCount = $churning; Rounds = $rounds; MessageCount = $messages; Crash = $Crash
            }
        }

        It 'loses nothing between the stable peers, nor from the churn peers to them' {
            # After each join and each leave every stable peer sends a batch to the others; each churn peer sends one once linked.
            $amongStable = $stable * ($stable - 1) * $rounds * 2 * $churning * $messages
            $fromChurners = $rounds * $churning * $messages * $stable
            Assert-ScenarioDelivery $result -Expected ($amongStable + $fromChurners) -Because 'joins and departures must not cost the stable peers a message'
        }

        It "delivers each message once, in its sender's order, with its text intact" {
            Assert-ScenarioOrder $result
        }

        It 'tells each stable peer once of every join and every departure' {
            Assert-ScenarioNotice $result -Expected ($stable * ($stable - 1) + $rounds * $churning * 2 * $stable) -Because 'every join and departure must be reported'
        }

        It 'writes whole logs and meets every deadline' {
            Assert-ScenarioComplete $result
        }
    }
}
