<#
.SYNOPSIS
    Drives the peers of a simulation: starts them with a log file each, waits for the mesh, sends numbered messages,
    collects notices from the pipeline, stops everything and has ScenarioReport.ps1 analyse the logs. Dot-sourced by
    the scenario scripts.
.NOTES
    Written with the PowerShell language, .NET calls, Core cmdlets and the module's own cmdlets only, so that the same
    scenarios run in pwsh 7.4+ and in the engine that CI hosts (which has no Utility or Management cmdlets).
    Every wait polls a condition against a deadline; nothing waits a fixed time for correctness.
#>

. ([System.IO.Path]::Combine($PSScriptRoot, 'ScenarioReport.ps1'))

# common -> scenarios -> pester -> tests -> repository root
$ScenarioDefaultModulePath = [System.IO.Path]::GetFullPath(
    [System.IO.Path]::Combine($PSScriptRoot, '..', '..', '..', '..', 'out', 'PSGroupChat', 'PSGroupChat.psd1'))

# BMP characters only, so that cutting the filler anywhere never splits a surrogate pair.
$ScenarioFiller = 'the quick brown fox jumps over the lazy dog 0123456789 äöüß €✓ '

function New-ScenarioRun {
    <# Imports the module when needed, prepares the log folder and returns the run that the other functions fill. #>
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Parameters,
        [string] $LogFolder,
        [string] $ModulePath,
        [double] $HeartbeatInterval = 1,
        [double] $PeerTimeout = 10
    )
    if (-not (Get-Module -Name PSGroupChat)) {
        Import-Module -Name ($ModulePath ? $ModulePath : $ScenarioDefaultModulePath) -ErrorAction Stop
    }
    if ($LogFolder) {
        $folder = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($LogFolder)
    }
    else {
        $stamp = [datetime]::UtcNow.ToString('yyyyMMdd-HHmmss-fff', [cultureinfo]::InvariantCulture)
        $folder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'PSGroupChat.Scenarios', "$Name-$stamp")
    }
    $null = [System.IO.Directory]::CreateDirectory($folder)

    [pscustomobject]@{
        Name              = $Name
        Parameters        = $Parameters
        LogFolder         = $folder
        HeartbeatInterval = $HeartbeatInterval
        PeerTimeout       = $PeerTimeout
        # Only log lines from StartedAt up to EndedAt are analysed: a reused folder's old lines and the notices the
        # final teardown causes are outside the window.
        StartedAt         = [datetime]::UtcNow
        EndedAt           = $null
        Clock             = [System.Diagnostics.Stopwatch]::StartNew()
        Peers             = [System.Collections.Specialized.OrderedDictionary]::new([System.StringComparer]::OrdinalIgnoreCase)
        Sent              = [System.Collections.Generic.List[object]]::new()
        Notices           = [System.Collections.Generic.List[object]]::new()
        Pipeline          = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
        TimedOut          = [System.Collections.Generic.List[string]]::new()
    }
}

function Start-ScenarioPeer {
    <# Starts a peer logging to <LogFolder>/<UserName>.jsonl and links it to the named peers (which must be running). #>
    param(
        [Parameter(Mandatory)] $Run,
        [Parameter(Mandatory)] [string] $UserName,
        [string[]] $Through
    )
    # The run reads only the notices from the inbox, and only at the end; with the default capacity a long run would
    # drop the oldest entries, notices among them, and the pipeline check would report them missing.
    $session = Start-ChatPeer -UserName $UserName -Port 0 -LogPath ([System.IO.Path]::Combine($Run.LogFolder, "$UserName.jsonl")) `
        -HeartbeatInterval $Run.HeartbeatInterval -PeerTimeout $Run.PeerTimeout -InboxCapacity 1000000 -ErrorAction Stop
    # Registered before it dials, so that the teardown stops it even when the dial fails.
    $Run.Peers[$UserName] = $session
    $Run.Pipeline[$UserName] = [System.Collections.Generic.List[object]]::new()
    if ($Through) {
        $endpoints = foreach ($name in $Through) { "127.0.0.1:$($Run.Peers[$name].Port)" }
        $null = Connect-ChatPeer -Session $session -Endpoint $endpoints -ErrorAction Stop
    }
    $session
}

function Start-ScenarioMesh {
    <#
    Starts $Members in order, each joining through the one started before it, so that the full mesh can only form
    through the members lists the peers exchange; waits for it, and records that each member must be told once that
    each other one joined.
    #>
    param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [string[]] $Members, [Parameter(Mandatory)] [double] $Seconds)
    for ($i = 0; $i -lt $Members.Count; $i++) {
        $through = ($i -gt 0) ? $Members[$i - 1] : $null
        $null = Start-ScenarioPeer -Run $Run -UserName $Members[$i] -Through $through
    }
    Wait-ScenarioMesh -Run $Run -Members $Members -Seconds $Seconds
    Add-ScenarioMeshNotice -Run $Run -Members $Members
}

function Wait-ScenarioCondition {
    <# Polls $Condition until it is true (returns $true) or $Seconds pass (returns $false). #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [Parameter(Mandatory)] [double] $Seconds)
    $waitDeadline = [datetime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([datetime]::UtcNow -ge $waitDeadline) { return $false }
        [System.Threading.Thread]::Sleep(20)
    }
    $true
}

function Get-ScenarioMeshGap {
    <# One line per missing link among $Members, e.g. "P3 is not linked to P5"; nothing when the mesh is complete. #>
    param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [string[]] $Members)
    foreach ($member in $Members) {
        $linked = @(Get-ChatPeer -Session $Run.Peers[$member] | Where-Object State -EQ 'Connected' | ForEach-Object UserName)
        foreach ($other in $Members) {
            if ($other -ne $member -and $linked -notcontains $other) { "$member is not linked to $other" }
        }
    }
}

function Wait-ScenarioMesh {
    <# Waits until every one of $Members is linked to every other; throws, naming the missing links, when it is not. #>
    param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [string[]] $Members, [Parameter(Mandatory)] [double] $Seconds)
    $complete = Wait-ScenarioCondition -Seconds $Seconds -Condition { -not (Get-ScenarioMeshGap -Run $Run -Members $Members) }
    if (-not $complete) {
        $gaps = @(Get-ScenarioMeshGap -Run $Run -Members $Members)
        throw "The mesh of $($Members -join ', ') was not complete after $Seconds s: $($gaps -join '; ')."
    }
}

function New-ScenarioText {
    <# A unique, readable message text of $Size characters (never shorter than its label). #>
    param([string] $Sender, [string] $Phase, [int] $Number, [int] $Size)
    $label = "$Sender $Phase #$Number "
    if ($label.Length -ge $Size) { return $label.TrimEnd() }
    $builder = [System.Text.StringBuilder]::new($label, $Size)
    while ($builder.Length -lt $Size) {
        $null = $builder.Append($ScenarioFiller, 0, [System.Math]::Min($ScenarioFiller.Length, $Size - $builder.Length))
    }
    $builder.ToString()
}

function Send-ScenarioMessage {
    <#
    Each of $Senders sends $Count messages, interleaved (one each in turn), and the run records that every other member
    of $Audience must receive each of them exactly once.
    #>
    param(
        [Parameter(Mandatory)] $Run,
        [Parameter(Mandatory)] [string[]] $Senders,
        [Parameter(Mandatory)] [string[]] $Audience,
        [Parameter(Mandatory)] [int] $Count,
        [Parameter(Mandatory)] [int] $Size,
        [Parameter(Mandatory)] [string] $Phase
    )
    $receiversOf = @{}
    foreach ($sender in $Senders) { $receiversOf[$sender] = [string[]]@($Audience | Where-Object { $_ -ne $sender }) }
    for ($number = 1; $number -le $Count; $number++) {
        foreach ($sender in $Senders) {
            $text = New-ScenarioText -Sender $sender -Phase $Phase -Number $number -Size $Size
            $sent = Send-ChatMessage -Session $Run.Peers[$sender] -Message $text -PassThru -ErrorAction Stop
            $Run.Sent.Add([pscustomobject]@{
                    Id        = $sent.Id
                    Sender    = $sender
                    Sequence  = $sent.Sequence
                    Phase     = $Phase
                    Text      = $text
                    Receivers = $receiversOf[$sender]
                })
        }
    }
}

function Wait-ScenarioDelivery {
    <#
    Waits until every running receiver (or only those named) has received as many messages as the run expects it to.
    Returns $false, and records what was short, when $Seconds pass first; the log analysis then says exactly what is missing.
    #>
    param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [double] $Seconds, [string[]] $Only)
    $expected = @{}
    foreach ($message in $Run.Sent) {
        foreach ($receiver in $message.Receivers) { $expected[$receiver] = 1 + [int]$expected[$receiver] }
    }
    $waiting = @(foreach ($name in $expected.Keys) {
            if ((-not $Only -or $Only -contains $name) -and $Run.Peers[$name].State -eq 'Running') { $name }
        })
    $done = Wait-ScenarioCondition -Seconds $Seconds -Condition {
        foreach ($name in $waiting) { if ($Run.Peers[$name].MessagesReceived -lt $expected[$name]) { return $false } }
        $true
    }
    if (-not $done) {
        $short = foreach ($name in $waiting) {
            $got = $Run.Peers[$name].MessagesReceived
            if ($got -lt $expected[$name]) { "$name has $got of $($expected[$name])" }
        }
        $Run.TimedOut.Add("Messages were still missing after $Seconds s: $($short -join ', ').")
    }
    $done
}

function Add-ScenarioNotice {
    <# Records that each of $Observers must be told exactly once that $Subject joined, or left with $Reason (and $Text). #>
    param(
        [Parameter(Mandatory)] $Run,
        [Parameter(Mandatory)] [string[]] $Observers,
        [Parameter(Mandatory)] [string] $Subject,
        [Parameter(Mandatory)] [ValidateSet('Joined', 'Left')] [string] $Kind,
        [string] $Reason,
        [string] $Text
    )
    # A notice's text is compared only when one is given.
    $expectedText = $PSBoundParameters.ContainsKey('Text') ? $Text : $null
    foreach ($observer in $Observers) {
        if ($observer -eq $Subject) { continue }
        $Run.Notices.Add([pscustomobject]@{ Observer = $observer; Subject = $Subject; Kind = $Kind; Reason = $Reason; Text = $expectedText })
    }
}

function Add-ScenarioMeshNotice {
    <# Records that every one of $Members must be told exactly once that each other one joined. #>
    param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [string[]] $Members)
    foreach ($subject in $Members) { Add-ScenarioNotice -Run $Run -Observers $Members -Subject $subject -Kind Joined }
}

function Receive-ScenarioNotice {
    <# Takes the Joined and Left notices waiting in every peer's inbox (a stopped peer's too) and keeps them for the analysis. #>
    param([Parameter(Mandatory)] $Run)
    foreach ($name in @($Run.Peers.Keys)) {
        foreach ($notice in @(Receive-ChatMessage -Session $Run.Peers[$name] -Kind Joined, Left)) { $Run.Pipeline[$name].Add($notice) }
    }
}

function Wait-ScenarioNotice {
    <#
    Waits until every expected notice held by a running observer has reached its pipeline. Returns $false, and records
    which were missing, when $Seconds pass first.
    #>
    param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [double] $Seconds)
    $pendingNotices = {
        foreach ($notice in $Run.Notices) {
            if ($Run.Peers[$notice.Observer].State -ne 'Running') { continue }
            $arrived = $false
            foreach ($entry in $Run.Pipeline[$notice.Observer]) {
                if ("$($entry.Kind)" -eq $notice.Kind -and $entry.Sender -eq $notice.Subject) { $arrived = $true; break }
            }
            if (-not $arrived) { "$($notice.Observer) was not told that $($notice.Subject) $($notice.Kind.ToLowerInvariant())" }
        }
    }
    $done = Wait-ScenarioCondition -Seconds $Seconds -Condition {
        Receive-ScenarioNotice -Run $Run
        -not (& $pendingNotices)
    }
    if (-not $done) { $Run.TimedOut.Add("Notices were still missing after $Seconds s: $(@(& $pendingNotices) -join '; ').") }
    $done
}

function Invoke-ScenarioRun {
    <# Runs the scenario's steps, then stops every peer whatever happened, and returns the analysis of their logs. #>
    param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [scriptblock] $Steps)
    try { . $Steps }
    finally { Stop-ScenarioRun -Run $Run }
    Measure-ScenarioRun -Run $Run
}

function Stop-ScenarioRun {
    <# Closes the analysed window, then stops every peer still running (which completes its log file). #>
    param([Parameter(Mandatory)] $Run)
    if ($null -eq $Run.EndedAt) { $Run.EndedAt = [datetime]::UtcNow }
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($session in @($Run.Peers.Values)) {
        if ($session.State -eq 'Stopped') { continue }
        try { Stop-ChatPeer -Session $session -Reason 'scenario over' -ErrorAction Stop }
        catch { $failures.Add("$($session.UserName): $($_.Exception.Message)") }
    }
    $Run.Clock.Stop()
    if ($failures.Count -gt 0) { throw "Stopping the peers failed: $($failures -join '; ')" }
}
