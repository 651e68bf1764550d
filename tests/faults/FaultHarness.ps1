# The fault suite's harness: a chat of one FaultPeer.ps1 process per host of a fault network (FaultNet.ps1), phases
# that inject a fault and heal it, and the collector that judges each phase per sender-receiver pair from the peers'
# logs (FaultCollector.ps1). Used by tests/pester/Faults/*.Tests.ps1 (the fast subset) and
# tests/faults/Invoke-FaultSuite.ps1 (everything).
# Dot-source it. What is asserted, and why: docs/faults.md.

. (Join-Path $PSScriptRoot 'FaultNet.ps1')
. (Join-Path $PSScriptRoot 'FaultCollector.ps1')

$FaultMeshLimitSeconds = 30   # the full mesh must be back this long after a heal, unless a phase states its own
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
    # -Heal ends it (by default an empty plan), then the full mesh must stand again within -MeshLimitSeconds and hold
    # for $FaultSettleSeconds, traffic going on. -Expect says what the collector demands of Left/Joined on the pairs
    # the fault cuts (-Side, or -Cut for a fault that is not one side against the rest): None (no notice at all),
    # Departure (one Left, then one Joined, per cut pair), Either (none, or one Left then one Joined: an outage between
    # the tolerated one and the detection bound), or Restart (-Subject was killed and restarted). -Forward names the
    # cut pairs whose messages must arrive during the fault, through other members, within -ForwardSeconds. -Alone
    # names the member the fault leaves with no other: Send-ChatMessage must warn it once, and nobody else.
    param([Parameter(Mandatory)] $Chat, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [scriptblock] $Apply,
        [double] $HoldSeconds, [scriptblock] $Heal = { Set-FaultPlan $Chat.Net -Phase 'none' },
        [ValidateSet('None', 'Departure', 'Either', 'Restart')] [string] $Expect = 'None', [string] $Subject, [int[]] $Side = @(),
        [string[]] $Cut = @(), [string] $Alone, [switch] $Forward, [double] $ForwardSeconds = 10, [double] $MeshLimitSeconds = $FaultMeshLimitSeconds)
    if (-not $Cut -and $Side) {
        $Cut = foreach ($s in $Chat.Peers.Keys) { foreach ($r in $Chat.Peers.Keys) {
                if ($s -ne $r -and (([int]$s.Substring(1) -in $Side) -xor ([int]$r.Substring(1) -in $Side))) { "$s>$r" } } }
    }
    $phase = [pscustomobject]@{ Name = $Name; Side = $Side; Cut = @($Cut); Alone = $Alone; Expect = $Expect; Subject = $Subject; Forward = [bool]$Forward
        ForwardSeconds = $ForwardSeconds; MeshLimit = $MeshLimitSeconds; Hold = $HoldSeconds; Start = (Get-FaultNow); Faulted = 0; Healed = 0; End = 0
        MeshSeconds = $null; Rejoined = 0; KilledIncarnation = 0; Dropped = 0; Duplicated = 0; Reordered = 0; Stale = @() }
    Write-Host "$(Get-Date -Format HH:mm:ss) phase '$Name': fault for $HoldSeconds s"
    $before = Get-FaultTally $Chat
    & $Apply $phase
    $phase.Faulted = Get-FaultNow
    Start-Sleep -Seconds $HoldSeconds
    & $Heal $phase
    $phase.Healed = Get-FaultNow
    # The fault layer writes its counters as it takes a new plan, which the heal waited for: they are complete here.
    $after = Get-FaultTally $Chat
    foreach ($what in 'Dropped', 'Duplicated', 'Reordered') { $phase.$what = $after.$what - $before.$what }
    $phase.MeshSeconds = Wait-FaultMesh $Chat -Seconds $MeshLimitSeconds
    $phase.Rejoined = if ($null -eq $phase.MeshSeconds) { Get-FaultNow } else { $phase.Healed + $phase.MeshSeconds * 1000 }
    $phase.Stale = @(Get-FaultStale $Chat)
    $phase.End = Get-FaultNow
    Write-Host "$(Get-Date -Format HH:mm:ss) phase '$Name': mesh back after $(if ($null -eq $phase.MeshSeconds) { "more than $MeshLimitSeconds s ($(Format-FaultMesh $Chat))" } else { "$($phase.MeshSeconds) s (limit $MeshLimitSeconds s)" })"
    $Chat.Phases.Add($phase)
    $phase
}

function Get-FaultStale {
    # Names a peer's Get-ChatPeer lists more than once (a stale entry beside the live one), as "h1 lists h4 twice (...)".
    param([Parameter(Mandatory)] $Chat)
    foreach ($name in $Chat.Peers.Keys) {
        $state = Get-FaultPeerState $Chat $name
        if (-not $state -or -not $state.PSObject.Properties['listed']) { continue }
        foreach ($group in @($state.listed | Group-Object { ($_ -split ':')[0] } | Where-Object Count -gt 1)) {
            "$name lists $($group.Name) $($group.Count) times ($($group.Group -join ', '))"
        }
    }
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
    $arguments = @{ Chat = $Chat; Name = $Spec.Name; Apply = $Spec.Apply; HoldSeconds = $Spec.Hold; Expect = $Spec.Expect; MeshLimitSeconds = $Spec.MeshLimit }
    foreach ($optional in 'Heal', 'Subject', 'Side', 'Cut', 'Alone', 'ForwardSeconds') {
        if ($Spec.PSObject.Properties[$optional]) { $arguments[$optional] = $Spec.$optional }
    }
    if ($Spec.PSObject.Properties['Forward']) { $arguments.Forward = [bool]$Spec.Forward }
    Invoke-FaultPhase @arguments
}

function Remove-FaultChat {
    param($Chat)
    if ($Chat) { Remove-FaultNet $Chat.Net }
}
