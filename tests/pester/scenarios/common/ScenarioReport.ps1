<#
.SYNOPSIS
    Reads the JSON-lines logs a simulation's peers wrote and turns them, with what the run expected, into one result
    object (PSGroupChat.ScenarioResult). Dot-sourced by ScenarioRun.ps1.
.NOTES
    Language, .NET calls and Core cmdlets only (see ScenarioRun.ps1). docs/simulations.md describes the result.
#>

function Read-ScenarioLog {
    <#
    The MessageSent, MessageReceived, PeerJoined and PeerLeft lines of one peer's log that fall inside the run's window,
    in file order, as hashtables. A line that is not the JSON the logger writes is reported in $Problems.
    #>
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [datetime] $From,
        [Parameter(Mandatory)] [datetime] $Until,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[string]] $Problems
    )
    $events = [System.Collections.Generic.List[hashtable]]::new()
    if (-not [System.IO.File]::Exists($Path)) {
        $Problems.Add("The log file $Path does not exist.")
        return , $events
    }
    $lines = [System.IO.File]::ReadAllLines($Path)
    for ($index = 0; $index -lt $lines.Length; $index++) {
        if ($lines[$index].Length -eq 0) { continue }
        $document = $null
        try {
            $document = [System.Text.Json.JsonDocument]::Parse($lines[$index])
            $root = $document.RootElement
            $name = $root.GetProperty('event').GetString()
            if ($name -notin 'MessageSent', 'MessageReceived', 'PeerJoined', 'PeerLeft') { continue }
            $time = $root.GetProperty('time').GetDateTime().ToUniversalTime()
            if ($time -lt $From -or $time -ge $Until) { continue }
            $entry = @{ Event = $name; Time = $time; User = $root.GetProperty('user').GetString(); Line = $index + 1 }
            switch ($name) {
                'MessageSent' {
                    $entry.Id = $root.GetProperty('id').GetString()
                    $entry.Seq = $root.GetProperty('seq').GetInt64()
                    $entry.Text = $root.GetProperty('text').GetString()
                }
                'MessageReceived' {
                    $entry.Peer = $root.GetProperty('peer').GetString()
                    $entry.Id = $root.GetProperty('id').GetString()
                    $entry.Seq = $root.GetProperty('seq').GetInt64()
                    $entry.Text = $root.GetProperty('text').GetString()
                }
                'PeerJoined' { $entry.Peer = $root.GetProperty('peer').GetString() }
                'PeerLeft' {
                    $entry.Peer = $root.GetProperty('peer').GetString()
                    $entry.Reason = $root.GetProperty('reason').GetString()
                    $entry.Text = $root.GetProperty('text').GetString()
                }
            }
            $events.Add($entry)
        }
        catch {
            $Problems.Add("$([System.IO.Path]::GetFileName($Path)) line $($index + 1) is not a log entry this analysis understands: $($_.Exception.Message)")
        }
        finally {
            if ($null -ne $document) { $document.Dispose() }
        }
    }
    , $events
}

function Compare-ScenarioNotice {
    <#
    Matches the notices one source (log or pipeline) showed against the expected ones. Adds to $Missing and $Unexpected
    and returns how many expected notices were seen, once each, with the expected reason and text.
    #>
    param(
        [Parameter(Mandatory)] [string] $Source,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[object]] $Expected,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[object]] $Seen,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[object]] $Missing,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[object]] $Unexpected
    )
    $byKey = [System.Collections.Generic.Dictionary[string, System.Collections.Generic.List[object]]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($notice in $Seen) {
        $key = "$($notice.Observer)|$($notice.Subject)|$($notice.Kind)"
        if (-not $byKey.ContainsKey($key)) { $byKey[$key] = [System.Collections.Generic.List[object]]::new() }
        $byKey[$key].Add($notice)
    }
    $matched = 0
    $expectedKeys = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($notice in $Expected) {
        $key = "$($notice.Observer)|$($notice.Subject)|$($notice.Kind)"
        $null = $expectedKeys.Add($key)
        $what = if ($notice.Kind -eq 'Joined') { "$($notice.Subject) joined" } else { "$($notice.Subject) left ($($notice.Reason))" }
        $found = $byKey[$key]
        if ($null -eq $found -or $found.Count -eq 0) {
            $Missing.Add([pscustomobject]@{
                    Observer = $notice.Observer; Subject = $notice.Subject; Kind = $notice.Kind; Reason = $notice.Reason; Source = $Source
                    Description = "$($notice.Observer)'s $Source never said that $what"
                })
            continue
        }
        $first = $found[0]
        $found.RemoveAt(0)
        $problem = $null
        if ($notice.Kind -eq 'Left' -and $first.Reason -ne $notice.Reason) { $problem = "with reason '$($first.Reason)' instead of '$($notice.Reason)'" }
        elseif ($notice.Kind -eq 'Left' -and $null -ne $notice.Text -and $first.Text -ne $notice.Text) { $problem = "with text '$($first.Text)' instead of '$($notice.Text)'" }
        if ($problem) {
            $Unexpected.Add([pscustomobject]@{
                    Observer = $first.Observer; Subject = $first.Subject; Kind = $first.Kind; Reason = $first.Reason; Source = $Source
                    Description = "$($first.Observer)'s $Source said that $($first.Subject) $($first.Kind.ToLowerInvariant()) $problem"
                })
        }
        else { $matched++ }
    }
    # Whatever is left was not expected at all, or came more than once.
    foreach ($key in $byKey.Keys) {
        foreach ($extra in $byKey[$key]) {
            $what = if ($extra.Kind -eq 'Joined') { "$($extra.Subject) joined" } else { "$($extra.Subject) left ($($extra.Reason))" }
            $how = $expectedKeys.Contains($key) ? 'once more than expected that' : 'unexpectedly that'
            $Unexpected.Add([pscustomobject]@{
                    Observer = $extra.Observer; Subject = $extra.Subject; Kind = $extra.Kind; Reason = $extra.Reason; Source = $Source
                    Description = "$($extra.Observer)'s $Source said $how $what"
                })
        }
    }
    $matched
}

function Get-ScenarioAlteration {
    <# How a received copy differs from the message sent (its sender or its text), or nothing when it does not. #>
    param([Parameter(Mandatory)] $Sent, [Parameter(Mandatory)] [hashtable] $Received)
    if ($Received.Peer -ne $Sent.Sender) { return "as if from '$($Received.Peer)'" }
    $got = $Received.Text
    $want = $Sent.Text
    if ($got -ceq $want) { return }
    $at = 0
    while ($at -lt $got.Length -and $at -lt $want.Length -and $got[$at] -ceq $want[$at]) { $at++ }
    "with its text altered: $($got.Length) characters received for $($want.Length) sent, the first difference at character $($at + 1)"
}

function Measure-ScenarioRun {
    <# Analyses the logs of a stopped run and returns its PSGroupChat.ScenarioResult. #>
    param([Parameter(Mandatory)] $Run)
    $logProblems = [System.Collections.Generic.List[string]]::new()
    $logs = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $Run.Peers.Keys) {
        $path = [System.IO.Path]::Combine($Run.LogFolder, "$name.jsonl")
        $logs[$name] = Read-ScenarioLog -Path $path -From $Run.StartedAt -Until $Run.EndedAt -Problems $logProblems
    }

    # What each peer's log says it sent and received.
    $sentIds = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::Ordinal)
    $receipts = @{}   # receiver -> (id -> list of MessageReceived entries)
    $outOfOrder = [System.Collections.Generic.List[object]]::new()
    foreach ($name in $logs.Keys) {
        $byId = [System.Collections.Generic.Dictionary[string, System.Collections.Generic.List[hashtable]]]::new([System.StringComparer]::Ordinal)
        $lastSeq = @{}
        foreach ($entry in $logs[$name]) {
            if ($entry.Event -eq 'MessageSent') { $sentIds[$entry.Id] = $entry; continue }
            if ($entry.Event -ne 'MessageReceived') { continue }
            if (-not $byId.ContainsKey($entry.Id)) { $byId[$entry.Id] = [System.Collections.Generic.List[hashtable]]::new() }
            $byId[$entry.Id].Add($entry)
            $previous = $lastSeq[$entry.Peer]
            if ($null -ne $previous -and $entry.Seq -le $previous -and $byId[$entry.Id].Count -eq 1) {
                $outOfOrder.Add([pscustomobject]@{
                        Receiver = $name; Sender = $entry.Peer; Sequence = $entry.Seq; After = $previous; Id = $entry.Id
                        Description = "$name got $($entry.Peer) #$($entry.Seq) after #$previous (log line $($entry.Line))"
                    })
            }
            if ($null -eq $previous -or $entry.Seq -gt $previous) { $lastSeq[$entry.Peer] = $entry.Seq }
        }
        $receipts[$name] = $byId
    }

    # Every expected delivery, receiver by receiver in start order, each sender's messages in the order they were sent.
    $expected = 0
    $actual = 0
    $missing = [System.Collections.Generic.List[object]]::new()
    $duplicated = [System.Collections.Generic.List[object]]::new()
    $altered = [System.Collections.Generic.List[object]]::new()
    $firstSent = [datetime]::MaxValue
    $lastDelivered = [datetime]::MinValue
    foreach ($message in $Run.Sent) {
        $logged = $null
        if ($sentIds.TryGetValue($message.Id, [ref]$logged)) {
            if ($logged.Time -lt $firstSent) { $firstSent = $logged.Time }
        }
        else { $logProblems.Add("$($message.Sender)'s log has no MessageSent line for its #$($message.Sequence) (id $($message.Id)).") }
    }
    foreach ($receiver in $Run.Peers.Keys) {
        $byId = $receipts[$receiver]
        foreach ($message in $Run.Sent) {
            if ($message.Receivers -notcontains $receiver) { continue }
            $expected++
            $label = "$($message.Sender) #$($message.Sequence) ($($message.Phase), id $($message.Id))"
            $copies = $null
            if (-not $byId.TryGetValue($message.Id, [ref]$copies)) {
                $missing.Add([pscustomobject]@{
                        Receiver = $receiver; Sender = $message.Sender; Sequence = $message.Sequence; Id = $message.Id; Phase = $message.Phase
                        Description = "$receiver missed $label"
                    })
                continue
            }
            $actual++
            if ($copies[0].Time -gt $lastDelivered) { $lastDelivered = $copies[0].Time }
            if ($copies.Count -gt 1) {
                $duplicated.Add([pscustomobject]@{
                        Receiver = $receiver; Sender = $message.Sender; Sequence = $message.Sequence; Id = $message.Id; Copies = $copies.Count
                        Description = "$receiver got $label $($copies.Count) times (log lines $(($copies | ForEach-Object Line) -join ', '))"
                    })
            }
            $change = Get-ScenarioAlteration -Sent $message -Received $copies[0]
            if ($change) {
                $altered.Add([pscustomobject]@{
                        Receiver = $receiver; Sender = $message.Sender; Sequence = $message.Sequence; Id = $message.Id
                        Description = "$receiver got $label $change"
                    })
            }
        }
    }

    # Notices, from the logs and from the pipeline, for the peers that were expected to see any.
    $observers = @{}
    foreach ($notice in $Run.Notices) { $observers[$notice.Observer] = $true }
    $logNotices = [System.Collections.Generic.List[object]]::new()
    $pipelineNotices = [System.Collections.Generic.List[object]]::new()
    foreach ($observer in $Run.Peers.Keys) {
        if (-not $observers.ContainsKey($observer)) { continue }
        foreach ($entry in $logs[$observer]) {
            if ($entry.Event -eq 'PeerJoined' -or $entry.Event -eq 'PeerLeft') {
                $logNotices.Add([pscustomobject]@{
                        Observer = $observer; Subject = $entry.Peer; Kind = ($entry.Event -eq 'PeerJoined') ? 'Joined' : 'Left'
                        Reason = $entry.Reason; Text = $entry.Text
                    })
            }
        }
        foreach ($notice in $Run.Pipeline[$observer]) {
            $pipelineNotices.Add([pscustomobject]@{
                    Observer = $observer; Subject = $notice.Sender; Kind = "$($notice.Kind)"; Reason = $notice.Reason; Text = $notice.Text
                })
        }
    }
    $missingNotices = [System.Collections.Generic.List[object]]::new()
    $unexpectedNotices = [System.Collections.Generic.List[object]]::new()
    $seenInLog = Compare-ScenarioNotice -Source log -Expected $Run.Notices -Seen $logNotices -Missing $missingNotices -Unexpected $unexpectedNotices
    $seenInPipeline = Compare-ScenarioNotice -Source pipeline -Expected $Run.Notices -Seen $pipelineNotices -Missing $missingNotices -Unexpected $unexpectedNotices

    $passed = $expected -eq $actual -and $missing.Count -eq 0 -and $duplicated.Count -eq 0 -and $outOfOrder.Count -eq 0 -and
        $altered.Count -eq 0 -and $missingNotices.Count -eq 0 -and $unexpectedNotices.Count -eq 0 -and
        $logProblems.Count -eq 0 -and $Run.TimedOut.Count -eq 0
    [pscustomobject]@{
        PSTypeName          = 'PSGroupChat.ScenarioResult'
        Scenario            = $Run.Name
        Passed              = $passed
        Peers               = [string[]]@($Run.Peers.Keys)
        MessagesSent        = $Run.Sent.Count
        ExpectedDeliveries  = $expected
        ActualDeliveries    = $actual
        Missing             = $missing.ToArray()
        Duplicated          = $duplicated.ToArray()
        OutOfOrder          = $outOfOrder.ToArray()
        Altered             = $altered.ToArray()
        NoticesExpected     = $Run.Notices.Count
        NoticesSeen         = $seenInLog
        PipelineNoticesSeen = $seenInPipeline
        MissingNotices      = $missingNotices.ToArray()
        UnexpectedNotices   = $unexpectedNotices.ToArray()
        LogProblems         = $logProblems.ToArray()
        TimedOut            = $Run.TimedOut.ToArray()
        Elapsed             = $Run.Clock.Elapsed
        DeliveryElapsed     = ($actual -gt 0) ? $lastDelivered - $firstSent : [timespan]::Zero
        Parameters          = $Run.Parameters
        LogFolder           = $Run.LogFolder
    }
}
