# The fault suite's harness: a chat of one FaultPeer.ps1 process per host of a fault network (FaultNet.ps1), phases
# that inject a fault and heal it, and the collector that judges each phase per sender-receiver pair from the peers'
# logs. Used by tests/pester/Faults/*.Tests.ps1 (the fast subset) and tests/faults/Invoke-FaultSuite.ps1 (everything).
# Dot-source it. What is asserted, and why: docs/faults.md.

. (Join-Path $PSScriptRoot 'FaultNet.ps1')

$FaultMeshLimitSeconds = 30   # the full mesh must be back this long after a heal
$FaultSettleSeconds = 3       # the mesh must hold this long, traffic going on, before a heal counts and the phase ends

function Get-FaultNow { [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() }

function New-FaultChat {
    # The network, then h1, then the others joining through h1; returns once the full mesh stands.
    param([int] $HostCount = 5, [Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [string] $Module)
    $layer = Build-FaultLayer
    $net = New-FaultNet -HostCount $HostCount -Folder $Folder -FaultLayer $layer
    $chat = [pscustomobject]@{ Net = $net; Module = $Module; Peers = [ordered]@{}; Phases = [System.Collections.Generic.List[object]]::new() }
    try {
        foreach ($name in $net.Hosts.Keys) { $chat.Peers[$name] = [pscustomobject]@{ Name = $name; Process = $null; Incarnation = 0; Port = 0 } }
        Start-FaultPeer $chat 'h1'
        foreach ($name in @($net.Hosts.Keys | Select-Object -Skip 1)) { Start-FaultPeer $chat $name -Peer @('h1') -NoWait }
        foreach ($name in @($net.Hosts.Keys | Select-Object -Skip 1)) { Wait-FaultPeerListening $chat $name }
        if ($null -eq (Wait-FaultMesh $chat -Seconds 120)) { throw "the first full mesh did not form within 120 s: $(Format-FaultMesh $chat)" }
    }
    catch {
        Remove-FaultChat $chat
        throw
    }
    $chat
}

function Start-FaultPeer {
    # Starts the next incarnation of a host's peer, joining through the -Peer hosts' current ports.
    param([Parameter(Mandatory)] $Chat, [Parameter(Mandatory)] [string] $Name, [string[]] $Peer = @(), [switch] $NoWait)
    $hostInfo = $Chat.Net.Hosts[$Name]
    $member = $Chat.Peers[$Name]
    $member.Incarnation++
    $base = Join-Path $Chat.Net.Folder $Name
    Remove-Item -Force -ErrorAction Ignore "$base.port", "$base.stop", "$base.state"
    $join = @(foreach ($other in $Peer) { '{0}:{1}' -f $Chat.Net.Hosts[$other].Address, $Chat.Peers[$other].Port }) -join ','
    $exe, $lead = Get-PwshCommand
    $arguments = @($lead) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'FaultPeer.ps1'),
        '-Module', $Chat.Module, '-Name', $Name, '-Folder', $Chat.Net.Folder, '-Address', $hostInfo.Address, '-Incarnation', $member.Incarnation)
    if ($join) { $arguments += @('-Peer', $join) }
    $member.Process = Start-InNamespace -Lan $Chat.Net -Namespace $hostInfo.Namespace -FilePath $exe -ArgumentList $arguments `
        -LogPrefix "$base.$($member.Incarnation)"
    if (-not $NoWait) { Wait-FaultPeerListening $Chat $Name }
}

function Wait-FaultPeerListening {
    param([Parameter(Mandatory)] $Chat, [Parameter(Mandatory)] [string] $Name)
    $peer = $Chat.Peers[$Name]
    $base = Join-Path $Chat.Net.Folder $Name
    Wait-Until -Seconds 120 -What "$Name to listen" -Condition {
        if ($peer.Process.HasExited) { throw "$Name ended before it listened: $(Get-Content -Raw "$base.$($peer.Incarnation).err")" }
        Test-Path "$base.port"
    }
    $peer.Port = [int] (Get-Content -Raw "$base.port")
}

function Get-FaultPeerState {
    param([Parameter(Mandatory)] $Chat, [Parameter(Mandatory)] [string] $Name)
    $path = Join-Path $Chat.Net.Folder "$Name.state"
    try { Get-Content -Raw -LiteralPath $path -ErrorAction Stop | ConvertFrom-Json } catch { $null }
}

function Test-FaultMesh {
    # Every peer reports, from its current incarnation and within the last 2 s, every other host as Connected.
    param([Parameter(Mandatory)] $Chat)
    $now = Get-FaultNow
    foreach ($name in $Chat.Peers.Keys) {
        $state = Get-FaultPeerState $Chat $name
        if (-not $state -or $state.inc -ne $Chat.Peers[$name].Incarnation -or $now - $state.t -gt 2000) { return $false }
        foreach ($other in $Chat.Peers.Keys) { if ($other -ne $name -and $other -notin @($state.connected)) { return $false } }
    }
    $true
}

function Format-FaultMesh {
    param([Parameter(Mandatory)] $Chat)
    (@(foreach ($name in $Chat.Peers.Keys) { $state = Get-FaultPeerState $Chat $name; "$name sees [$(@($state.connected) -join ',')]" }) -join '; ')
}

function Wait-FaultMesh {
    # Seconds from now until the full mesh stood and then held for -StableSeconds without a break (so that a member
    # declared gone just after a heal counts), or $null when that did not happen within -Seconds.
    param([Parameter(Mandatory)] $Chat, [double] $Seconds = $FaultMeshLimitSeconds, [double] $StableSeconds = $FaultSettleSeconds)
    $started = Get-FaultNow
    $deadline = $started + ($Seconds + $StableSeconds) * 1000
    $since = $null
    while ((Get-FaultNow) -lt $deadline) {
        if (Test-FaultMesh $Chat) {
            if ($null -eq $since) { $since = Get-FaultNow }
            if ((Get-FaultNow) - $since -ge $StableSeconds * 1000) { return [math]::Round(($since - $started) / 1000, 1) }
        }
        else {
            $since = $null
            if ((Get-FaultNow) -gt $started + $Seconds * 1000) { break }
        }
        Start-Sleep -Milliseconds 100
    }
    $null
}

function Get-FaultTally {
    # The fault layer's counters summed over every direction.
    param([Parameter(Mandatory)] $Chat)
    $tally = [pscustomobject]@{ Dropped = 0; Duplicated = 0; Reordered = 0 }
    $stats = Get-FaultStats $Chat.Net
    if ($stats) {
        foreach ($pair in $stats.pairs.PSObject.Properties.Value) {
            $tally.Dropped += $pair.dropped; $tally.Duplicated += $pair.duplicated; $tally.Reordered += $pair.reordered
        }
    }
    $tally
}

function Invoke-FaultPhase {
    # Runs one phase: -Apply injects the fault, it holds for -HoldSeconds (the fault's length: the one deliberate wait),
    # -Heal ends it (by default an empty plan), then the mesh must come back and traffic settles. -Expect says what the
    # collector demands of Left/Joined: None (no departure), Balanced (at most one Left per pair, each with its Joined),
    # or Restart (-Subject was killed and restarted: one Left and one Joined about it at every other member).
    param([Parameter(Mandatory)] $Chat, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [scriptblock] $Apply,
        [double] $HoldSeconds, [scriptblock] $Heal = { Set-FaultPlan $Chat.Net -Phase 'none' },
        [ValidateSet('None', 'Balanced', 'Restart')] [string] $Expect = 'None', [string] $Subject, [int[]] $Side = @())
    $phase = [pscustomobject]@{ Name = $Name; Side = $Side; Expect = $Expect; Subject = $Subject; Start = (Get-FaultNow); Faulted = 0; Healed = 0; End = 0; MeshSeconds = $null; Rejoined = 0; KilledIncarnation = 0; Dropped = 0; Duplicated = 0; Reordered = 0 }
    Write-Host "$(Get-Date -Format HH:mm:ss) phase '$Name': fault for $HoldSeconds s"
    $before = Get-FaultTally $Chat
    & $Apply $phase
    $phase.Faulted = Get-FaultNow
    Start-Sleep -Seconds $HoldSeconds
    Start-Sleep -Milliseconds 600   # the fault layer writes its counters every 500 ms
    $after = Get-FaultTally $Chat
    foreach ($what in 'Dropped', 'Duplicated', 'Reordered') { $phase.$what = $after.$what - $before.$what }
    & $Heal $phase
    $phase.Healed = Get-FaultNow
    $phase.MeshSeconds = Wait-FaultMesh $Chat
    $phase.Rejoined = if ($null -eq $phase.MeshSeconds) { Get-FaultNow } else { $phase.Healed + $phase.MeshSeconds * 1000 }
    $phase.End = Get-FaultNow
    Write-Host "$(Get-Date -Format HH:mm:ss) phase '$Name': mesh back after $(if ($null -eq $phase.MeshSeconds) { "more than $FaultMeshLimitSeconds s ($(Format-FaultMesh $Chat))" } else { "$($phase.MeshSeconds) s" })"
    $Chat.Phases.Add($phase)
    $phase
}

function Reset-FaultChat {
    # After a phase that left the chat split: every peer leaves and a new incarnation of each starts, so that the next
    # phase starts from a full mesh. Messages sent meanwhile belong to no phase.
    param([Parameter(Mandatory)] $Chat)
    Set-FaultPlan $Chat.Net -Phase 'none'
    foreach ($name in $Chat.Peers.Keys) { Set-Content (Join-Path $Chat.Net.Folder "$name.stop") 'stop' }
    foreach ($peer in $Chat.Peers.Values) {
        if (-not $peer.Process.WaitForExit(20000)) { $peer.Process.Kill($true); $null = $peer.Process.WaitForExit(5000) }
    }
    $names = @($Chat.Peers.Keys)
    Start-FaultPeer $Chat $names[0]
    foreach ($name in @($names | Select-Object -Skip 1)) { Start-FaultPeer $Chat $name -Peer @($names[0]) -NoWait }
    foreach ($name in @($names | Select-Object -Skip 1)) { Wait-FaultPeerListening $Chat $name }
    if ($null -eq (Wait-FaultMesh $Chat -Seconds 120)) { throw "the chat did not form again within 120 s: $(Format-FaultMesh $Chat)" }
}

function Invoke-FaultPhaseSpec {
    # Runs a phase described by Get-FaultPhase (FaultPhases.ps1).
    param([Parameter(Mandatory)] $Chat, [Parameter(Mandatory)] $Spec)
    $arguments = @{ Chat = $Chat; Name = $Spec.Name; Apply = $Spec.Apply; HoldSeconds = $Spec.Hold; Expect = $Spec.Expect }
    if ($Spec.PSObject.Properties['Heal']) { $arguments.Heal = $Spec.Heal }
    if ($Spec.PSObject.Properties['Subject']) { $arguments.Subject = $Spec.Subject }
    if ($Spec.PSObject.Properties['Side']) { $arguments.Side = $Spec.Side }
    Invoke-FaultPhase @arguments
}

function Read-FaultLog {
    # The complete JSON lines of one log file.
    param([Parameter(Mandatory)] [string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) { return @() }
    $text = [System.IO.File]::ReadAllText($Path)
    $whole = $text.Substring(0, $text.LastIndexOf("`n") + 1)
    @(foreach ($line in $whole -split "`n") { if ($line) { $line | ConvertFrom-Json } })
}

function Wait-FaultDrain {
    # Senders fall quiet; waits until no peer has received anything for 3 s (at most 30 s), so that every message still
    # on its way has arrived before the collector counts.
    param([Parameter(Mandatory)] $Chat)
    foreach ($name in $Chat.Peers.Keys) { Set-Content (Join-Path $Chat.Net.Folder "$name.quiet") 'quiet' }
    $deadline = (Get-FaultNow) + 30000
    $last = -1; $stableSince = Get-FaultNow
    while ((Get-FaultNow) -lt $deadline) {
        $size = 0
        foreach ($name in $Chat.Peers.Keys) { $file = Join-Path $Chat.Net.Folder "$name.recv.jsonl"; if (Test-Path $file) { $size += (Get-Item $file).Length } }
        if ($size -ne $last) { $last = $size; $stableSince = Get-FaultNow }
        elseif ((Get-FaultNow) - $stableSince -ge 3000) { return }
        Start-Sleep -Milliseconds 200
    }
}

function Measure-FaultChat {
    # Judges every phase per sender->receiver pair. A message belongs to the phase during which it was sent; it is
    # expected at every other host, except at a host whose process was killed, from 1 s before the kill until its new
    # incarnation is in the full mesh, and except the killed incarnation's own messages of its last second (queued in
    # a process that died, not in the network's hands).
    param([Parameter(Mandatory)] $Chat)
    $names = @($Chat.Peers.Keys)
    $sent = @{}; $received = @{}
    foreach ($name in $names) {
        $sent[$name] = Read-FaultLog (Join-Path $Chat.Net.Folder "$name.sent.jsonl")
        $received[$name] = Read-FaultLog (Join-Path $Chat.Net.Folder "$name.recv.jsonl")
    }
    foreach ($phase in $Chat.Phases) {
        $pairs = foreach ($s in $names) {
            $mine = @($sent[$s] | Where-Object { $_.t -ge $phase.Start -and $_.t -lt $phase.End })
            foreach ($r in $names) {
                if ($r -eq $s) { continue }
                $expected = @($mine | Where-Object {
                        $t = $_.t
                        -not ($phase.Expect -eq 'Restart' -and (
                                ($r -eq $phase.Subject -and $t -ge $phase.Faulted - 1000 -and $t -lt $phase.Rejoined) -or
                                ($s -eq $phase.Subject -and $_.inc -eq $phase.KilledIncarnation -and $t -ge $phase.Faulted - 1000))) })
                $got = @($received[$r] | Where-Object { $_.kind -eq 'Message' -and $_.sender -eq $s })
                $seen = @{}; foreach ($entry in $got) { $seen[$entry.text] = 1 }
                $lost = @($expected | Where-Object { -not $seen.ContainsKey("$s $($_.inc) $($_.k)") })
                $window = @($received[$r] | Where-Object { $_.sender -eq $s -and $_.t -ge $phase.Start -and $_.t -lt $phase.End })
                # Duplicates and order are judged on the arrivals of this phase's messages, wherever they arrived.
                $phaseKeys = @{}; foreach ($m in $mine) { $phaseKeys["$s $($m.inc) $($m.k)"] = 1 }
                $phaseGot = @($got | Where-Object { $phaseKeys.ContainsKey($_.text) })
                $phaseDuplicates = $phaseGot.Count - @($phaseGot.text | Sort-Object -Unique).Count
                $outOfOrder = 0; $lastK = @{}; $first = @{}
                foreach ($entry in $phaseGot) {
                    if ($first.ContainsKey($entry.text)) { continue }   # a duplicate is counted as such, not as disorder
                    $first[$entry.text] = 1
                    $null, $inc, $k = $entry.text -split ' '
                    if ($lastK.ContainsKey($inc) -and [int]$k -le $lastK[$inc]) { $outOfOrder++ }
                    $lastK[$inc] = [int]$k
                }
                [pscustomobject]@{
                    Sender = $s; Receiver = $r; Expected = $expected.Count; Lost = $lost.Count
                    Duplicates = $phaseDuplicates; OutOfOrder = $outOfOrder
                    Left = @($window | Where-Object kind -eq 'Left').Count; Joined = @($window | Where-Object kind -eq 'Joined').Count
                    FirstLost = if ($lost) { $lost[0].t } else { $null }; LastLost = if ($lost) { $lost[-1].t } else { $null }
                }
            }
        }
        $problems = [System.Collections.Generic.List[string]]::new()
        foreach ($pair in $pairs) {
            $tag = "$($pair.Sender)->$($pair.Receiver)"
            if ($pair.Lost -gt 0) {
                $span = '{0:0.0} to {1:0.0} s' -f (($pair.FirstLost - $phase.Faulted) / 1000), (($pair.LastLost - $phase.Faulted) / 1000)
                $problems.Add("$tag lost $($pair.Lost) of $($pair.Expected) (sent $span after the fault began)")
            }
            if ($pair.Duplicates -gt 0) { $problems.Add("$tag $($pair.Duplicates) duplicate(s)") }
            if ($pair.OutOfOrder -gt 0) { $problems.Add("$tag $($pair.OutOfOrder) out of order") }
            $wantLeft, $wantJoined = switch ($phase.Expect) {
                'None' { 0, 0 }
                'Restart' {
                    if ($pair.Sender -eq $phase.Subject) { 1, 1 } elseif ($pair.Receiver -eq $phase.Subject) { 0, 1 } else { 0, 0 }
                }
                'Balanced' { $null, $null }
            }
            if ($null -eq $wantLeft) {
                if ($pair.Left -gt 1 -or $pair.Left -ne $pair.Joined) { $problems.Add("$tag Left $($pair.Left) Joined $($pair.Joined) (want equal, at most 1)") }
            }
            elseif ($pair.Left -ne $wantLeft -or $pair.Joined -ne $wantJoined) {
                $problems.Add("$tag Left $($pair.Left) Joined $($pair.Joined) (want $wantLeft and $wantJoined)")
            }
        }
        if ($null -eq $phase.MeshSeconds) { $problems.Add("full mesh not back within $FaultMeshLimitSeconds s of the heal") }
        [pscustomobject]@{
            Phase = $phase.Name; Verdict = if ($problems.Count -eq 0) { 'PASS' } else { 'FAIL' }
            Expected = [int]($pairs | Measure-Object Expected -Sum).Sum; Lost = [int]($pairs | Measure-Object Lost -Sum).Sum
            Duplicates = [int]($pairs | Measure-Object Duplicates -Sum).Sum; OutOfOrder = [int]($pairs | Measure-Object OutOfOrder -Sum).Sum
            Left = [int]($pairs | Measure-Object Left -Sum).Sum; Joined = [int]($pairs | Measure-Object Joined -Sum).Sum
            MeshSeconds = $phase.MeshSeconds; Dropped = $phase.Dropped; Duplicated = $phase.Duplicated; Reordered = $phase.Reordered; Problems = @($problems); Pairs = @($pairs); Seconds = [math]::Round(($phase.End - $phase.Start) / 1000)
        }
    }
}

function Remove-FaultChat {
    param($Chat)
    if ($Chat) { Remove-FaultNet $Chat.Net }
}
