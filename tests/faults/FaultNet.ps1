# The fault suite's network: host N (1..n) is a namespace at 10.78.N.2/24 whose only route leads through a router
# namespace (10.78.N.1). In the router, every packet arriving from a host is policy-routed into a TUN device, where the
# FaultLayer program (tests/faults/FaultLayer) applies the current plan (delay, jitter, loss, reordering, duplication,
# partitions) and writes it back; packets coming out of the TUN device take the main table to their host. No address
# of these namespaces is reachable from the root namespace, and nothing here touches it. Dot-source this file.

. (Join-Path $PSScriptRoot '..' 'pester' 'Discovery' 'TestLan.ps1')

function Get-FaultNetProblem {
    # Why the fault network cannot be made here, or $null when it can.
    $problem = Get-TestLanProblem
    if ($problem) { return $problem }
    if (-not (Test-Path /dev/net/tun)) { return '/dev/net/tun is missing: the fault layer needs a TUN device' }
    return $null
}

function Build-FaultLayer {
    # Builds tests/faults/FaultLayer once per caller and returns the path of FaultLayer.dll.
    $project = Join-Path $PSScriptRoot 'FaultLayer'
    $output = & dotnet build $project -c Release -v q -nologo 2>&1 | Out-String
    if ($LASTEXITCODE -ne 0) { throw "dotnet build $project failed: $output" }
    Join-Path $project 'bin' 'Release' 'net10.0' 'FaultLayer.dll'
}

function New-FaultNet {
    # Creates the router and -HostCount hosts and starts the fault layer with an empty plan (everything forwarded).
    param([Parameter(Mandatory)] [int] $HostCount, [Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [string] $FaultLayer)
    $id = '{0}{1}' -f $PID, (Get-Random -Maximum 9999)
    $folderPath = (New-Item -ItemType Directory -Force -Path (Join-Path $Folder "net$id")).FullName
    $net = [pscustomobject]@{
        Id = $id; Router = "pgf$id-rt"; Hosts = [ordered]@{}; Folder = $folderPath
        Plan = Join-Path $folderPath 'plan.json'; Stats = Join-Path $folderPath 'stats.json'; Layer = $null
        Processes = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    }
    # Remove-TestLan ends these processes and deletes these namespaces: the net is a TestLan with a router for bridge.
    $net | Add-Member -NotePropertyName Bridge -NotePropertyValue $net.Router
    $net | Add-Member -NotePropertyName Extra -NotePropertyValue ([System.Collections.Generic.List[string]]::new())
    try {
        Invoke-Ip netns add $net.Router
        $r = $net.Router
        Invoke-Ip -n $r link set lo up
        & ip netns exec $r sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
        # Packets written to tun0 re-enter with iif tun0 and take the main table; those from hosts go to table 100.
        Invoke-Ip -n $r tuntap add dev tun0 mode tun
        & ip netns exec $r sysctl -qw net.ipv4.conf.tun0.rp_filter=0
        Invoke-Ip -n $r link set tun0 up
        Invoke-Ip -n $r route add default dev tun0 table 100
        foreach ($n in 1..$HostCount) {
            $ns = "pgf$id-h$n"
            Invoke-Ip netns add $ns
            $net.Hosts["h$n"] = [pscustomobject]@{ Name = "h$n"; Number = $n; Namespace = $ns; Address = "10.78.$n.2" }
            Invoke-Ip -n $ns link add eth0 type veth peer name "h$n" netns $r
            Invoke-Ip -n $ns addr add "10.78.$n.2/24" dev eth0
            Invoke-Ip -n $ns link set eth0 up
            Invoke-Ip -n $ns link set lo up
            Invoke-Ip -n $ns route add default via "10.78.$n.1"
            Invoke-Ip -n $r addr add "10.78.$n.1/24" dev "h$n"
            Invoke-Ip -n $r link set "h$n" up
            Invoke-Ip -n $r rule add iif "h$n" lookup 100 priority 100
        }
        Set-FaultPlan $net -Phase 'none' -NoWait
        $net.Layer = Start-InNamespace -Lan $net -Namespace $r -FilePath 'dotnet' -ArgumentList @($FaultLayer, 'tun0', $net.Plan, $net.Stats) `
            -LogPrefix (Join-Path $net.Folder 'faultlayer')
        Wait-Until -Seconds 60 -What 'the fault layer to open tun0' -Condition {
            if ($net.Layer.HasExited) { throw "the fault layer ended: $(Get-Content -Raw (Join-Path $net.Folder 'faultlayer.err'))" }
            (Test-Path (Join-Path $net.Folder 'faultlayer.out')) -and (Select-String -Quiet -Path (Join-Path $net.Folder 'faultlayer.out') -Pattern 'ready') -and (Get-FaultStats $net).serial -eq $net.Serial
        }
    }
    catch {
        Remove-FaultNet $net
        throw
    }
    $net
}

function Set-FaultPlan {
    # Replaces the plan whole and waits until the fault layer has it in force (it echoes the plan's serial in its
    # statistics within about 50 ms); a plan it refuses (it keeps the previous one) fails here, naming its complaint.
    # Each rule is a hashtable with From/To (host numbers, empty = all), Drop, DelayMs, JitterMs, LossPercent,
    # DuplicatePercent, ReorderPercent, ReorderMs.
    param([Parameter(Mandatory)] $Net, [string] $Phase = '', [hashtable[]] $Rule = @(), [switch] $NoWait)
    $serial = 1 + ($Net.PSObject.Properties['Serial'] ? $Net.Serial : 0)
    $Net | Add-Member -Force -NotePropertyName Serial -NotePropertyValue $serial
    $rules = foreach ($one in $Rule) {
        $copy = @{} + $one
        foreach ($key in 'From', 'To') { if ($copy.ContainsKey($key)) { $copy[$key] = [int[]] @($copy[$key]) } }
        $copy
    }
    $text = [ordered]@{ phase = $Phase; serial = $serial; rules = @($rules) } | ConvertTo-Json -Depth 5 -Compress
    Set-Content -LiteralPath "$($Net.Plan).tmp" -Value $text
    [IO.File]::Move("$($Net.Plan).tmp", $Net.Plan, $true) # one rename: Move-Item -Force deletes the old plan first, and the layer may read in between
    if ($NoWait) { return }
    Wait-Until -Seconds 10 -What "the fault layer to take plan $serial ('$Phase')" -Condition { (Get-FaultStats $Net).serial -eq $serial } -OnTimeout {
        Write-Warning "fault layer: $(Get-Content -Raw -ErrorAction Ignore (Join-Path $Net.Folder 'faultlayer.err'))"
    }
}

function Get-PartitionRule {
    # Rules that drop every packet between the hosts of -Side and all the others, both ways.
    param([Parameter(Mandatory)] $Net, [Parameter(Mandatory)] [int[]] $Side)
    $others = @($Net.Hosts.Values.Number | Where-Object { $_ -notin $Side })
    @{ From = $Side; To = $others; Drop = $true }, @{ From = $others; To = $Side; Drop = $true }
}

function Get-FaultStats {
    # The fault layer's counters per direction "from>to": forwarded, dropped, duplicated, reordered.
    param([Parameter(Mandatory)] $Net)
    try { Get-Content -Raw -LiteralPath $Net.Stats -ErrorAction Stop | ConvertFrom-Json } catch { $null }
}

function Remove-FaultNet {
    # Ends every process of the net (the fault layer, the peers) by id and deletes its namespaces: tun0 and the veth
    # pairs go with them.
    param($Net)
    Remove-TestLan $Net
}
