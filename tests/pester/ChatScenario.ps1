<#
.SYNOPSIS
    What the *.Tests.ps1 wrappers share: running a scenario script with its logs in Pester's TestDrive, and asserting
    on its result with messages that list the problems (which peer missed which message).
#>

function Invoke-ChatScenario {
    <# Runs tests/pester/scenarios/<Name>.ps1 with $Parameters, logging to a new folder under $TestDrive. #>
    param([Parameter(Mandatory)] [string] $Name, [hashtable] $Parameters = @{})
    $arguments = @{} + $Parameters
    $arguments.LogFolder = Join-Path $TestDrive "$Name-$([guid]::NewGuid().ToString('N'))"
    & (Join-Path $PSScriptRoot 'scenarios' "$Name.ps1") @arguments
}

function Get-ScenarioProblem {
    <# The Description of each item in a result's list (at most $First of them, then how many more); nothing when it is empty. #>
    param([AllowNull()] [AllowEmptyCollection()] [object[]] $Item, [int] $First = 25)
    $all = @($Item | Where-Object { $null -ne $_ })
    foreach ($entry in ($all | Select-Object -First $First)) {
        if ($entry.PSObject.Properties['Description']) { $entry.Description } else { "$entry" }
    }
    if ($all.Count -gt $First) { "... and $($all.Count - $First) more" }
}

function Assert-ScenarioDelivery {
    <# Every expected delivery happened: $Expected of them, and none missing (listed by who missed what). #>
    param([Parameter(Mandatory)] $Result, [Parameter(Mandatory)] [int] $Expected, [Parameter(Mandatory)] [string] $Because)
    Get-ScenarioProblem $Result.Missing | Should -BeNullOrEmpty -Because $Because
    $Result.ExpectedDeliveries | Should -Be $Expected
    $Result.ActualDeliveries | Should -Be $Expected
}

function Assert-ScenarioOrder {
    <# No delivery twice, none out of its sender's order, none altered. #>
    param([Parameter(Mandatory)] $Result)
    Get-ScenarioProblem $Result.Duplicated | Should -BeNullOrEmpty -Because 'no message may arrive twice'
    Get-ScenarioProblem $Result.OutOfOrder | Should -BeNullOrEmpty -Because "messages must arrive in each sender's order"
    Get-ScenarioProblem $Result.Altered | Should -BeNullOrEmpty -Because 'a message must arrive as it was sent'
}

function Assert-ScenarioNotice {
    <# The $Expected joined/left notices were each seen once, with the expected reason, in the logs and in the pipelines. #>
    param([Parameter(Mandatory)] $Result, [Parameter(Mandatory)] [int] $Expected, [Parameter(Mandatory)] [string] $Because)
    Get-ScenarioProblem $Result.MissingNotices | Should -BeNullOrEmpty -Because $Because
    Get-ScenarioProblem $Result.UnexpectedNotices | Should -BeNullOrEmpty -Because 'each is reported once, with the right reason, and nothing else is'
    $Result.NoticesExpected | Should -Be $Expected
    $Result.NoticesSeen | Should -Be $Expected
    $Result.PipelineNoticesSeen | Should -Be $Expected
}

function Assert-ScenarioComplete {
    <# Every log was whole, no wait ran out, and the scenario judged itself passed. #>
    param([Parameter(Mandatory)] $Result)
    Get-ScenarioProblem $Result.LogProblems | Should -BeNullOrEmpty -Because 'every peer must write a whole log'
    Get-ScenarioProblem $Result.TimedOut | Should -BeNullOrEmpty -Because 'everything must arrive in time'
    $Result.Passed | Should -BeTrue
}
