# The fault suite's collector: after the phases, it reads every peer's logs (FaultPeer.ps1) and judges each phase per
# sender->receiver pair against issue 14's guarantee. Dot-sourced by FaultHarness.ps1; the bounds it judges by are
# $FaultBounds (FaultPhases.ps1). What is asserted, and why: docs/faults.md.

function Read-FaultLog {
    # The complete JSON lines of one log file (a line still being written is left out).
    param([Parameter(Mandatory)] [string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) { return @() }
    $text = [System.IO.File]::ReadAllText($Path)
    $whole = $text.Substring(0, $text.LastIndexOf("`n") + 1).TrimEnd("`n")
    if (-not $whole) { return @() }
    @(('[' + ($whole -replace "`n", ',') + ']') | ConvertFrom-Json -NoEnumerate)
}

function Wait-FaultDrain {
    # Senders fall quiet; waits until no peer has received anything for 5 s (at most 60 s), so that every message still
    # on its way (a catch-up included) has arrived before the collector counts.
    param([Parameter(Mandatory)] $Chat)
    foreach ($name in $Chat.Peers.Keys) { Set-Content (Join-Path $Chat.Net.Folder "$name.quiet") 'quiet' }
    $deadline = (Get-FaultNow) + 60000
    $last = -1; $stableSince = Get-FaultNow
    while ((Get-FaultNow) -lt $deadline) {
        $size = 0
        foreach ($name in $Chat.Peers.Keys) { $file = Join-Path $Chat.Net.Folder "$name.recv.jsonl"; if (Test-Path $file) { $size += (Get-Item $file).Length } }
        if ($size -ne $last) { $last = $size; $stableSince = Get-FaultNow }
        elseif ((Get-FaultNow) - $stableSince -ge 5000) { return }
        Start-Sleep -Milliseconds 200
    }
}

function ConvertTo-FaultLossNotice {
    # A loss notice as the collector needs it: about which sender (peer id), how many, and which sequences when the
    # notice names them; $null for any other entry. The names come from $FaultBounds.LossNotice.
    param([Parameter(Mandatory)] $Entry)
    $names = $FaultBounds.LossNotice
    if ($Entry.kind -ne $names.Kind) { return $null }
    $property = { param($candidates) foreach ($candidate in $candidates) { if ($null -ne $Entry.PSObject.Properties[$candidate] -and $null -ne $Entry.$candidate) { return $Entry.$candidate } } }
    $from = & $property $names.From
    $to = & $property $names.To
    $count = & $property $names.Count
    if ($null -eq $count -and $null -ne $from -and $null -ne $to) { $count = [long]$to - [long]$from + 1 }
    [pscustomobject]@{ T = [long]$Entry.t; Sender = $Entry.sender; Id = $Entry.id; Count = [long]$count
        From = if ($null -ne $from) { [long]$from } else { $null }; To = if ($null -ne $to) { [long]$to } else { $null } }
}

function Measure-FaultChat {
    # Judges every phase per sender->receiver pair; returns one result per phase (Pairs holds the pairs' figures).
    # A message belongs to the phase during which it was sent and is expected at every other host, except at a host
    # whose process was killed, from 1 s before the kill until its new incarnation is in the full mesh, and except the
    # killed incarnation's own messages of its last second (queued in a process that died, not in the network's hands).
    # A message that never arrived is excused only by a loss notice at the receiver naming its sender (and, where the
    # notice names sequences, it), and only where the sender sent more during the fault than the history bound holds.
    param([Parameter(Mandatory)] $Chat)
    $names = @($Chat.Peers.Keys)
    $phases = @($Chat.Phases)
    $sent = @{}; $received = @{}; $incarnationOf = @{}; $warned = @{}
    foreach ($name in $names) {
        $sent[$name] = Read-FaultLog (Join-Path $Chat.Net.Folder "$name.sent.jsonl")
        $warned[$name] = Read-FaultLog (Join-Path $Chat.Net.Folder "$name.warn.jsonl")
        $received[$name] = Read-FaultLog (Join-Path $Chat.Net.Folder "$name.recv.jsonl")
        foreach ($idFile in Get-ChildItem -Path $Chat.Net.Folder -Filter "$name.*.id") {
            $incarnationOf[(Get-Content -Raw $idFile.FullName).Trim()] = [int]($idFile.Name -split '\.')[1]
        }
    }
    # Every sent message, keyed by its text "<sender> <inc> <k>", with the phase it belongs to (-1: none).
    $message = @{}
    foreach ($s in $names) {
        foreach ($m in $sent[$s]) {
            $index = -1
            for ($i = 0; $i -lt $phases.Count; $i++) { if ($m.t -ge $phases[$i].Start -and $m.t -lt $phases[$i].End) { $index = $i; break } }
            $message["$s $($m.inc) $($m.k)"] = [pscustomobject]@{ Sender = $s; Inc = [int]$m.inc; K = [long]$m.k; Seq = if ($null -ne $m.seq) { [long]$m.seq } else { [long]$m.k }; T = [long]$m.t; Phase = $index }
        }
    }
    $bySender = @{}; foreach ($s in $names) { $bySender[$s] = @($message.Values | Where-Object Sender -eq $s) }
    # Per receiver and sender: arrivals (first arrival time per text, and how many times), order violations and
    # duplicates per phase, notices.
    $pairInfo = @{}
    foreach ($r in $names) {
        foreach ($s in $names) { if ($s -ne $r) { $pairInfo["$s>$r"] = [pscustomobject]@{ Arrived = @{}; Count = @{}; Copies = @{}; Disorder = @{}; Notices = [System.Collections.Generic.List[object]]::new(); Events = [System.Collections.Generic.List[object]]::new() } } }
        $lastK = @{}
        foreach ($entry in $received[$r]) {
            $s = $entry.sender
            if ($s -eq $r -or -not $pairInfo.ContainsKey("$s>$r")) { continue }
            $info = $pairInfo["$s>$r"]
            switch ($entry.kind) {
                'Message' {
                    # Duplicates and order are judged per receiving incarnation (a restarted member is a new receiver).
                    $text = $entry.text
                    $copy = "$($entry.rinc)|$text"
                    if ($info.Count.ContainsKey($copy)) { $info.Count[$copy]++; continue }
                    $info.Count[$copy] = 1
                    if (-not $info.Copies.ContainsKey($text)) { $info.Copies[$text] = [System.Collections.Generic.List[string]]::new() }
                    $info.Copies[$text].Add($copy)
                    if (-not $info.Arrived.ContainsKey($text)) { $info.Arrived[$text] = [long]$entry.t }
                    $known = $message[$text]
                    if (-not $known) { continue }
                    $stream = "$($entry.rinc)|$s $($known.Inc)"
                    if ($lastK.ContainsKey($stream) -and $known.K -le $lastK[$stream]) { $info.Disorder[$known.Phase] = 1 + [int]$info.Disorder[$known.Phase] }
                    if (-not $lastK.ContainsKey($stream) -or $known.K -gt $lastK[$stream]) { $lastK[$stream] = $known.K }
                }
                { $_ -in 'Left', 'Joined' } { $info.Events.Add([pscustomobject]@{ Kind = $entry.kind; T = [long]$entry.t; Reason = $entry.reason }) }
                default {
                    $notice = ConvertTo-FaultLossNotice $entry
                    if ($notice) { $info.Notices.Add($notice) }
                }
            }
        }
    }
    # Lost messages per pair, and which of them a notice excuses: a notice naming sequences excuses those of the
    # incarnation it names; a notice giving a count only excuses that many of that incarnation's losses, oldest first.
    $lostBy = @{}; $claims = @{}
    foreach ($key in $pairInfo.Keys) {
        $s, $r = $key -split '>'
        $info = $pairInfo[$key]
        $lostHere = [System.Collections.Generic.List[object]]::new()
        foreach ($m in $bySender[$s]) {
            if ($info.Arrived.ContainsKey("$s $($m.Inc) $($m.K)")) { continue }
            # Missing messages that were not expected (outside the phases, or the killed member's) take part in matching
            # notices, not in the verdicts.
            $isExpected = $m.Phase -ge 0 -and (Test-FaultExpected -Message $m -Receiver $r -Phases $phases)
            $lostHere.Add([pscustomobject]@{ Message = $m; Noticed = $false; Expected = $isExpected })
        }
        $sorted = @($lostHere | Sort-Object { $_.Message.Inc }, { $_.Message.K })
        $claimed = 0; $wrongClaims = 0
        foreach ($notice in $info.Notices) {
            $inc = $incarnationOf[$notice.Id]
            $claimed += $notice.Count
            if ($null -ne $notice.From) {
                $named = @($sorted | Where-Object { ($null -eq $inc -or $_.Message.Inc -eq $inc) -and $_.Message.Seq -ge $notice.From -and $_.Message.Seq -le $notice.To })
                foreach ($one in $named) { $one.Noticed = $true }
                # A sequence the notice calls lost that did arrive: the notice is wrong.
                $arrivedAnyway = @($bySender[$s] | Where-Object { $_.Sender -eq $s -and ($null -eq $inc -or $_.Inc -eq $inc) -and $_.Seq -ge $notice.From -and $_.Seq -le $notice.To -and $info.Arrived.ContainsKey("$s $($_.Inc) $($_.K)") }).Count
                $wrongClaims += $arrivedAnyway
            }
            else {
                $left = $notice.Count
                foreach ($one in $sorted) {
                    if ($left -le 0) { break }
                    if ($one.Noticed -or ($null -ne $inc -and $one.Message.Inc -ne $inc)) { continue }
                    $one.Noticed = $true; $left--
                }
                $wrongClaims += [math]::Max(0, $left)
            }
        }
        $lostBy[$key] = $sorted
        $claims[$key] = [pscustomobject]@{ Claimed = $claimed; Wrong = $wrongClaims; Notices = $info.Notices.Count }
    }

    for ($i = 0; $i -lt $phases.Count; $i++) {
        $phase = $phases[$i]
        $problems = [System.Collections.Generic.List[string]]::new()
        $pairs = foreach ($s in $names) {
            $mine = @($bySender[$s] | Where-Object Phase -eq $i)
            $duringFault = @($mine | Where-Object { $_.T -ge $phase.Faulted -and $_.T -lt $phase.Healed }).Count
            $beyondBound = $duringFault -gt $FaultBounds.HistoryMessages -or ($phase.Healed - $phase.Faulted) / 1000 -gt $FaultBounds.HistorySeconds
            foreach ($r in $names) {
                if ($r -eq $s) { continue }
                $key = "$s>$r"
                $info = $pairInfo[$key]
                $expected = @($mine | Where-Object { Test-FaultExpected -Message $_ -Receiver $r -Phases $phases })
                $lost = @($lostBy[$key] | Where-Object { $_.Expected -and $_.Message.Phase -eq $i })
                $noticed = @($lost | Where-Object Noticed)
                $silent = @($lost | Where-Object { -not $_.Noticed })
                $duplicates = 0
                foreach ($m in $mine) { foreach ($copy in $info.Copies["$s $($m.Inc) $($m.K)"]) { if ($info.Count[$copy] -gt 1) { $duplicates += $info.Count[$copy] - 1 } } }
                $events = @($info.Events | Where-Object { $_.T -ge $phase.Start -and $_.T -lt $phase.End })
                $left = @($events | Where-Object Kind -eq 'Left'); $joined = @($events | Where-Object Kind -eq 'Joined')
                $cut = $key -in $phase.Cut -or ($phase.Expect -eq 'Restart' -and ($s -eq $phase.Subject -or $r -eq $phase.Subject))
                $late = 0
                if ($phase.Forward -and $key -in $phase.Cut) {
                    # Messages of a cut pair must arrive during the fault, through the others, unless sent in its last
                    # ForwardSeconds.
                    $late = @($mine | Where-Object { $_.T -ge $phase.Faulted -and $_.T -lt $phase.Healed - $phase.ForwardSeconds * 1000 } |
                            Where-Object { $at = $info.Arrived["$s $($_.Inc) $($_.K)"]; $null -eq $at -or $at -ge $phase.Healed }).Count
                }
                $pair = [pscustomobject]@{
                    Sender = $s; Receiver = $r; Cut = $cut; Sent = $mine.Count; Expected = $expected.Count; Delivered = $expected.Count - $lost.Count
                    LostNoticed = $noticed.Count; LostSilent = $silent.Count; Duplicates = $duplicates; OutOfOrder = [int]$info.Disorder[$i]
                    Left = $left.Count; Joined = $joined.Count; ForwardedLate = $late
                    LeftAfter = if ($left) { [math]::Round(($left[0].T - $phase.Faulted) / 1000, 1) } else { $null }
                    JoinedAfterHeal = if ($joined) { [math]::Round(($joined[-1].T - $phase.Healed) / 1000, 1) } else { $null }
                    FirstLost = if ($lost) { $lost[0].Message.T } else { $null }; LastLost = if ($lost) { $lost[-1].Message.T } else { $null }
                }
                $tag = "$s->$r"
                if ($silent.Count -gt 0) {
                    $span = '{0:0.0} to {1:0.0} s' -f (($silent[0].Message.T - $phase.Faulted) / 1000), (($silent[-1].Message.T - $phase.Faulted) / 1000)
                    $problems.Add("$tag lost $($silent.Count) of $($expected.Count) without a loss notice (sent $span after the fault began; k $($silent[0].Message.K)..$($silent[-1].Message.K))")
                }
                if ($noticed.Count -gt 0 -and -not $beyondBound) {
                    $problems.Add("$tag lost $($noticed.Count) with a notice, but $s sent only $duringFault during the fault, within the history bound ($($FaultBounds.HistoryMessages) messages, $($FaultBounds.HistorySeconds) s)")
                }
                if ($duplicates -gt 0) { $problems.Add("$tag $duplicates duplicate(s)") }
                if ($pair.OutOfOrder -gt 0) { $problems.Add("$tag $($pair.OutOfOrder) out of order") }
                if ($late -gt 0) { $problems.Add("$tag $late message(s) sent during the fault (before its last $($phase.ForwardSeconds) s) arrived only after the heal or never: not forwarded") }
                $problem = Test-FaultNotices -Phase $phase -Pair $pair -Left $left -Joined $joined
                if ($problem) { $problems.Add("$tag $problem") }
                $pair
            }
        }
        foreach ($key in $claims.Keys) {
            # Wrong claims are reported once, in the phase where the pair's last notice arrived.
            $info = $pairInfo[$key]
            if ($claims[$key].Wrong -gt 0 -and $info.Notices.Count -gt 0) {
                $lastNotice = $info.Notices[-1].T
                $owner = $phases.Count - 1; for ($j = 0; $j -lt $phases.Count; $j++) { if ($lastNotice -lt $phases[$j].End) { $owner = $j; break } }
                if ($owner -eq $i) { $problems.Add("$($key -replace '>', '->') loss notices claim $($claims[$key].Wrong) message(s) that were not lost") }
            }
        }
        # A member left with no other (Alone) says so once, on its first send of that period; the others never.
        $warnings = [ordered]@{}
        foreach ($name in $names) { $warnings[$name] = @($warned[$name] | Where-Object { $_.t -ge $phase.Start -and $_.t -lt $phase.End }).Count }
        if ($phase.PSObject.Properties['Alone'] -and $phase.Alone) {
            foreach ($name in $names) {
                $want = if ($name -eq $phase.Alone) { 1 } else { 0 }
                if ($warnings[$name] -ne $want) { $problems.Add("$name got $($warnings[$name]) 'no member' warning(s) from Send-ChatMessage (want $want)") }
            }
        }
        if ($null -eq $phase.MeshSeconds) { $problems.Add("full mesh not back within $($phase.MeshLimit) s of the heal") }
        foreach ($stale in $phase.Stale) { $problems.Add("stale duplicate after the heal: $stale") }
        $cutPairs = @($pairs | Where-Object Cut)
        [pscustomobject]@{
            Phase = $phase.Name; Verdict = if ($problems.Count -eq 0) { 'PASS' } else { 'FAIL' }; Expect = $phase.Expect
            Sent = [int](@($message.Values | Where-Object Phase -eq $i)).Count
            Expected = [int]($pairs | Measure-Object Expected -Sum).Sum; Delivered = [int]($pairs | Measure-Object Delivered -Sum).Sum
            LostNoticed = [int]($pairs | Measure-Object LostNoticed -Sum).Sum; LostSilent = [int]($pairs | Measure-Object LostSilent -Sum).Sum
            Lost = [int]($pairs | Measure-Object LostNoticed -Sum).Sum + [int]($pairs | Measure-Object LostSilent -Sum).Sum
            Duplicates = [int]($pairs | Measure-Object Duplicates -Sum).Sum; OutOfOrder = [int]($pairs | Measure-Object OutOfOrder -Sum).Sum
            Left = [int]($pairs | Measure-Object Left -Sum).Sum; Joined = [int]($pairs | Measure-Object Joined -Sum).Sum
            LeftAfter = ($cutPairs | Where-Object { $null -ne $_.LeftAfter } | Measure-Object LeftAfter -Maximum).Maximum
            ForwardedLate = [int]($pairs | Measure-Object ForwardedLate -Sum).Sum
            Warnings = (@(foreach ($name in $names) { if ($warnings[$name]) { "$name $($warnings[$name])" } }) -join ', ')
            MeshSeconds = $phase.MeshSeconds; MeshLimit = $phase.MeshLimit; Stale = @($phase.Stale).Count
            Dropped = $phase.Dropped; Duplicated = $phase.Duplicated; Reordered = $phase.Reordered; Problems = @($problems); Pairs = @($pairs)
            Seconds = [math]::Round(($phase.End - $phase.Start) / 1000)
        }
    }
}

function Test-FaultExpected {
    # Whether a message is expected at a receiver: not where a kill (any Restart phase of the run, also one that
    # began just after the message's own phase ended) excludes it (see Measure-FaultChat).
    param([Parameter(Mandatory)] $Message, [Parameter(Mandatory)] [string] $Receiver, [Parameter(Mandatory)] [object[]] $Phases)
    $t = $Message.T
    foreach ($kill in $Phases) {
        if ($kill.Expect -ne 'Restart') { continue }
        if ($Receiver -eq $kill.Subject -and $t -ge $kill.Faulted - 1000 -and $t -lt $kill.Rejoined) { return $false }
        if ($Message.Sender -eq $kill.Subject -and $Message.Inc -eq $kill.KilledIncarnation -and $t -ge $kill.Faulted - 1000) { return $false }
    }
    $true
}

function Test-FaultNotices {
    # What is wrong with a pair's Left/Joined notices in a phase, or $null. Pairs the fault does not cut: none at all.
    param([Parameter(Mandatory)] $Phase, [Parameter(Mandatory)] $Pair, $Left = @(), $Joined = @())
    $order = @(@($Left) + @($Joined) | Sort-Object T | ForEach-Object Kind) -join ','
    $seen = "Left $(@($Left).Count) Joined $(@($Joined).Count)"
    $want = switch ($Phase.Expect) {
        'None' { 'none' }
        'Departure' { if ($Pair.Cut) { 'Left,Joined' } else { 'none' } }
        'Either' { if ($Pair.Cut) { 'none or Left,Joined' } else { 'none' } }
        'Restart' {
            # About the killed member: one Left, then one Joined; at its new incarnation: one Joined about each other.
            if ($Pair.Sender -eq $Phase.Subject) { 'Left,Joined' } elseif ($Pair.Receiver -eq $Phase.Subject) { 'Joined' } else { 'none' }
        }
    }
    $allowed = @($want -split ' or ' | ForEach-Object { if ($_ -eq 'none') { '' } else { $_ } })
    if ($order -notin $allowed) { return "$seen in the order [$order] (want $want)" }
    # A departure is noticed within the detection bound (2 s more for the harness's timing on a loaded machine).
    if ($null -ne $Pair.LeftAfter -and $Pair.LeftAfter -gt $FaultBounds.DetectionSeconds + 2) {
        return "Left only $($Pair.LeftAfter) s after the fault began (detection bound $($FaultBounds.DetectionSeconds) s)"
    }
    $null
}
