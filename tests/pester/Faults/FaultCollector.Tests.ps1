# The fault suite's collector (tests/faults/FaultCollector.ps1) on small made-up runs: each of its assertions passes a
# run that keeps issue 14's guarantee and fails one that breaks it, so that a suite run against a faulty engine cannot
# pass by accident. No network, no root: the logs are written here in FaultPeer.ps1's format.

BeforeAll {
    . (Join-Path $PSScriptRoot '..' '..' 'faults' 'FaultHarness.ps1')
    . (Join-Path $PSScriptRoot '..' '..' 'faults' 'FaultPhases.ps1')

    function New-MadeUpRun {
        # Two members h1 and h2, each sending k = 1..20 every 300 ms from t = 1000 (seq = k), one phase from 1000 to -End
        # with the fault from 2000 to 5000 cutting -Cut (h1's messages to h2 only, by default); h2 receives h1's messages as -Arrive says (k values in arrival order, default
        # all in order, each -Lag ms after it was sent), plus -Extra entries; h1 receives all of h2's. -Forward demands that
        # the cut pairs' messages arrive during the fault, except those of its last second. -Alone names the member the
        # fault leaves alone; h2 was warned at -WarnedAt.
        param([int[]] $Arrive = 1..20, [object[]] $Extra = @(), [string] $Expect = 'None', [string[]] $Stale = @(), $MeshSeconds = 1,
            [string[]] $Cut = @('h1>h2'), [long] $End = 8000, [long] $Lag = 100, [switch] $Forward,
            [string] $Alone, [long[]] $WarnedAt = @())
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        foreach ($name in 'h1', 'h2') {
            Set-Content (Join-Path $folder "$name.1.id") "id-$name" -NoNewline
            $lines = foreach ($k in 1..20) { "{`"t`":$(1000 + 300 * $k),`"inc`":1,`"k`":$k,`"seq`":$k}" }
            Set-Content (Join-Path $folder "$name.sent.jsonl") (($lines -join "`n") + "`n") -NoNewline
        }
        $entry = { param($from, $k, $t) [ordered]@{ t = $t; kind = 'Message'; sender = $from; id = "id-$from"; seq = $k; text = "$from 1 $k"; reason = $null } | ConvertTo-Json -Compress }
        $atH2 = @(foreach ($k in $Arrive) { & $entry 'h1' $k (1000 + $Lag + 300 * $k) }) + @($Extra | ForEach-Object { $_ | ConvertTo-Json -Compress })
        $atH1 = foreach ($k in 1..20) { & $entry 'h2' $k (1100 + 300 * $k) }
        Set-Content (Join-Path $folder 'h2.recv.jsonl') (($atH2 -join "`n") + "`n") -NoNewline
        Set-Content (Join-Path $folder 'h1.recv.jsonl') (($atH1 -join "`n") + "`n") -NoNewline
        $warnings = foreach ($t in $WarnedAt) { "{`"t`":$t,`"inc`":1,`"text`":`"No member is linked`"}" }
        if ($warnings) { Set-Content (Join-Path $folder 'h2.warn.jsonl') (($warnings -join "`n") + "`n") -NoNewline }
        $chat = [pscustomobject]@{ Net = [pscustomobject]@{ Folder = $folder }; Peers = [ordered]@{ h1 = 'h1'; h2 = 'h2' }; Phases = [System.Collections.Generic.List[object]]::new() }
        $chat.Phases.Add([pscustomobject]@{ Name = 'made up'; Side = @(); Cut = $Cut; Alone = $Alone; Expect = $Expect; Subject = $null; Forward = [bool]$Forward
                ForwardSeconds = 1; MeshLimit = 10; Hold = 3; Start = 1000; Faulted = 2000; Healed = 5000; End = $End; MeshSeconds = $MeshSeconds
                Rejoined = 6000; KilledIncarnation = 0; Dropped = 0; Duplicated = 0; Reordered = 0; Stale = $Stale })
        $chat
    }

    function Get-Problem($chat) { @(Measure-FaultChat $chat)[0].Problems -join '; ' }
    function New-Missed($from, $to, [long] $count = $to - $from + 1) {
        [ordered]@{ t = 7000; kind = 'Missed'; sender = 'h1'; id = 'id-h1'; seq = 0; text = "missed $count messages"; reason = $null; MissedCount = $count; MissedFrom = $from; MissedTo = $to }
    }
    function New-Notice($kind, $t) { [ordered]@{ t = $t; kind = $kind; sender = 'h1'; id = 'id-h1'; seq = 0; text = ''; reason = 'timeout' } }
    $script:bound = $FaultBounds.HistoryMessages
}

Describe 'The fault collector' {
    AfterEach {
        $FaultBounds.HistoryMessages = $script:bound
    }

    It 'passes a run where everything arrived once, in order, with no notice' {
        $result = @(Measure-FaultChat (New-MadeUpRun))[0]
        $result.Verdict | Should -Be 'PASS'
        $result.Expected | Should -Be 40
        $result.Delivered | Should -Be 40
    }

    It 'fails a message that never arrived and no notice names' {
        Get-Problem (New-MadeUpRun -Arrive @(1..4 + 8..20)) | Should -Match 'h1->h2 lost 3 of 20 without a loss notice .*k 5\.\.7'
    }

    It 'excuses a loss a Missed notice names, beyond the history bound only' {
        $FaultBounds.HistoryMessages = 5   # h1 sends 10 during the fault
        $result = @(Measure-FaultChat (New-MadeUpRun -Arrive @(1..4 + 8..20) -Extra (New-Missed 5 7)))[0]
        $result.Verdict | Should -Be 'PASS'
        $result.LostNoticed | Should -Be 3
        $FaultBounds.HistoryMessages = 1000
        Get-Problem (New-MadeUpRun -Arrive @(1..4 + 8..20) -Extra (New-Missed 5 7)) | Should -Match 'lost 3 with a notice, but h1 sent only 10 during the fault, within the history bound'
    }

    It 'fails a notice that counts fewer than were lost, and one that claims messages that arrived' {
        $FaultBounds.HistoryMessages = 5
        Get-Problem (New-MadeUpRun -Arrive @(1..4 + 8..20) -Extra (New-Missed 5 6)) | Should -Match 'lost 1 of 20 without a loss notice'
        Get-Problem (New-MadeUpRun -Extra (New-Missed 5 7)) | Should -Match 'loss notices claim 3 message\(s\) that were not lost'
    }

    It 'fails a duplicate and a message out of its sender''s order' {
        Get-Problem (New-MadeUpRun -Arrive @(1..20 + 9)) | Should -Match 'h1->h2 1 duplicate'
        Get-Problem (New-MadeUpRun -Arrive @(1..8 + 10, 9 + 11..20)) | Should -Match 'h1->h2 1 out of order'
    }

    It 'counts a message that reached two incarnations of a restarted receiver once each, not as a duplicate' {
        $again = [ordered]@{ t = 7500; rinc = 2; kind = 'Message'; sender = 'h1'; id = 'id-h1'; seq = 9; text = 'h1 1 9'; reason = $null }
        @(Measure-FaultChat (New-MadeUpRun -Extra $again))[0].Verdict | Should -Be 'PASS'
    }

    It 'demands no Left or Joined for a tolerated outage, one Left then one Joined for a departure' {
        $leftJoined = (New-Notice 'Left' 4000), (New-Notice 'Joined' 5500)
        Get-Problem (New-MadeUpRun -Extra $leftJoined) | Should -Match 'h1->h2 Left 1 Joined 1 .*want none'
        @(Measure-FaultChat (New-MadeUpRun -Extra $leftJoined -Expect 'Departure'))[0].Verdict | Should -Be 'PASS'
        Get-Problem (New-MadeUpRun -Expect 'Departure') | Should -Match 'h1->h2 Left 0 Joined 0 .*want Left,Joined'
        Get-Problem (New-MadeUpRun -Extra (New-Notice 'Joined' 3000), (New-Notice 'Left' 4000) -Expect 'Departure') | Should -Match 'order \[Joined,Left\]'
        Get-Problem (New-MadeUpRun -Extra ($leftJoined + (New-Notice 'Left' 6000), (New-Notice 'Joined' 7000)) -Expect 'Either') | Should -Match 'Left 2 Joined 2'
        @(Measure-FaultChat (New-MadeUpRun -Expect 'Either'))[0].Verdict | Should -Be 'PASS'
    }

    It 'fails a departure noticed later than the detection bound' {
        $late = (New-Notice 'Left' (2000 + ($FaultBounds.DetectionSeconds + 3) * 1000)), (New-Notice 'Joined' 21000)
        Get-Problem (New-MadeUpRun -Extra $late -Expect 'Departure' -End 30000) | Should -Match 'Left only .* s after the fault began'
    }

    It 'fails messages of a cut pair that arrived only after the heal where they must be forwarded' {
        @(Measure-FaultChat (New-MadeUpRun -Forward))[0].Verdict | Should -Be 'PASS'
        Get-Problem (New-MadeUpRun -Forward -Lag 4000 -End 30000) | Should -Match 'h1->h2 6 message\(s\) sent during the fault .* not forwarded'
    }

    It 'demands one "no member" warning of the member a fault leaves alone, and none of the others' {
        @(Measure-FaultChat (New-MadeUpRun -Alone 'h2' -WarnedAt 3000))[0].Verdict | Should -Be 'PASS'
        Get-Problem (New-MadeUpRun -Alone 'h2') | Should -Match "h2 got 0 'no member' warning"
        Get-Problem (New-MadeUpRun -Alone 'h2' -WarnedAt 3000, 3500) | Should -Match "h2 got 2 'no member' warning"
        Get-Problem (New-MadeUpRun -Alone 'h1' -WarnedAt 3000) | Should -Match "h1 got 0 .*; h2 got 1 'no member' warning\(s\) from Send-ChatMessage \(want 0\)"
    }

    It 'fails a mesh not back in time and a stale duplicate in Get-ChatPeer' {
        Get-Problem (New-MadeUpRun -MeshSeconds $null) | Should -Match 'full mesh not back within 10 s'
        Get-Problem (New-MadeUpRun -Stale 'h1 lists h2 2 times (h2:Connected, h2:Reconnecting)') | Should -Match 'stale duplicate'
    }
}
