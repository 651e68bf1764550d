# A LAN of the test's own: network namespaces ("hosts") joined by a bridge that lives in one more namespace, with
# addresses (10.77.0.x) that exist only inside them. Every multicast packet of a test stays in these namespaces.
# Dot-source it; every function is safe to call again, and Remove-TestLan leaves `ip netns list` as it was.

function Get-TestLanProblem {
    # Why namespaces cannot be made here, or $null when they can.
    if (-not $IsLinux) { return 'network namespaces need Linux' }
    if ((& id -u) -ne '0') { return 'creating network namespaces needs root (run the tests as root, as CI does)' }
    if (-not (Get-Command ip -ErrorAction Ignore)) { return "the 'ip' command (iproute2) is not installed" }
    $probe = "pgcprobe$PID"
    & ip netns add $probe 2>$null
    if ($LASTEXITCODE -ne 0) { return "'ip netns add' failed: network namespaces are not available in this container" }
    & ip netns del $probe
    return $null
}

function New-TestLan {
    # Creates a bridge namespace and one namespace per host name, host i at 10.77.0.(i+1)/24 on eth0; the test's files
    # (states, logs, captures) go to a folder of this LAN's own under -Folder.
    param([Parameter(Mandatory)] [string[]] $HostName, [Parameter(Mandatory)] [string] $Folder, [switch] $NoMulticast)
    $id = '{0}{1}' -f $PID, (Get-Random -Maximum 9999)
    $lan = [pscustomobject]@{
        Id = $id; Bridge = "pgc$id-br"; Extra = [System.Collections.Generic.List[string]]::new(); Hosts = [ordered]@{}; Processes = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
        Folder = (New-Item -ItemType Directory -Force -Path (Join-Path $Folder "lan$id")).FullName
    }
    try {
        Invoke-Ip netns add $lan.Bridge
        Invoke-Ip -n $lan.Bridge link add br0 type bridge
        Invoke-Ip -n $lan.Bridge link set br0 up
        $i = 0
        foreach ($name in $HostName) {
            $i++
            $ns = "pgc$id-$name"
            Invoke-Ip netns add $ns
            $lan.Hosts[$name] = [pscustomobject]@{ Name = $name; Namespace = $ns; Address = "10.77.0.$($i + 1)" }
            Invoke-Ip -n $ns link add eth0 type veth peer name "p$i" netns $lan.Bridge
            Invoke-Ip -n $lan.Bridge link set "p$i" master br0
            Invoke-Ip -n $lan.Bridge link set "p$i" up
            Invoke-Ip -n $ns addr add "10.77.0.$($i + 1)/24" dev eth0
            if ($NoMulticast) { Invoke-Ip -n $ns link set eth0 multicast off }
            Invoke-Ip -n $ns link set eth0 up
            Invoke-Ip -n $ns link set lo up
        }
    }
    catch {
        Remove-TestLan $lan
        throw
    }
    $lan
}

function Add-TestLanSegment {
    # A second segment (bridge) at 10.88.0.0/24: -HostName are new hosts on it alone, -DualHomed existing hosts that get a
    # second interface (eth1) on it. Host j of the segment gets 10.88.0.(j+1).
    param([Parameter(Mandatory)] $Lan, [string[]] $HostName = @(), [string[]] $DualHomed = @())
    $bridge = "pgc$($Lan.Id)-b2"
    $Lan.Extra.Add($bridge)
    Invoke-Ip netns add $bridge
    Invoke-Ip -n $bridge link add br0 type bridge
    Invoke-Ip -n $bridge link set br0 up
    $j = 0
    foreach ($name in @($DualHomed) + @($HostName)) {
        $j++
        if ($Lan.Hosts.Contains($name)) { $ns = $Lan.Hosts[$name].Namespace; $device = 'eth1' }
        else {
            $ns = "pgc$($Lan.Id)-$name"
            Invoke-Ip netns add $ns
            $Lan.Hosts[$name] = [pscustomobject]@{ Name = $name; Namespace = $ns; Address = "10.88.0.$($j + 1)" }
            $device = 'eth0'
            Invoke-Ip -n $ns link set lo up
        }
        Invoke-Ip -n $ns link add $device type veth peer name "q$j" netns $bridge
        Invoke-Ip -n $bridge link set "q$j" master br0
        Invoke-Ip -n $bridge link set "q$j" up
        Invoke-Ip -n $ns addr add "10.88.0.$($j + 1)/24" dev $device
        Invoke-Ip -n $ns link set $device up
    }
}

function Invoke-Ip {
    & ip @args 2>&1 | Out-String | Set-Variable output
    if ($LASTEXITCODE -ne 0) { throw "ip $($args -join ' ') failed: $output" }
}

function Start-InNamespace {
    # Starts a program inside a host's namespace; the process is the test's own, and Remove-TestLan ends it.
    param([Parameter(Mandatory)] $Lan, [Parameter(Mandatory)] [string] $Namespace, [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(), [Parameter(Mandatory)] [string] $LogPrefix)
    $process = Start-Process -FilePath ip -ArgumentList (@('netns', 'exec', $Namespace, $FilePath) + $ArgumentList) -PassThru `
        -RedirectStandardOutput "$LogPrefix.out" -RedirectStandardError "$LogPrefix.err"
    $Lan.Processes.Add($process)
    $process
}

function Get-PwshCommand {
    # The pwsh running this test, as a program and its leading arguments (dotnet pwsh runs pwsh.dll through dotnet).
    $exe = [Environment]::ProcessPath
    if ((Split-Path -Leaf $exe) -like 'dotnet*') { return $exe, @((Join-Path $PSHOME 'pwsh.dll')) }
    return $exe, @()
}

function Remove-TestLan {
    # Ends the test's processes (by their ids), then deletes its namespaces: the veth pairs and the bridge go with them.
    param($Lan)
    if (-not $Lan) { return }
    foreach ($process in $Lan.Processes) {
        try { if (-not $process.HasExited) { $process.Kill($true); $null = $process.WaitForExit(10000) } } catch { }
    }
    foreach ($ns in @($Lan.Hosts.Values.Namespace) + $Lan.Bridge + @($Lan.Extra)) {
        if ((& ip netns list) -match "^$([regex]::Escape($ns))\b") {
            # Anything still running in the namespace was started by this test (through Start-InNamespace).
            foreach ($leftover in @(& ip netns pids $ns)) { if ($leftover) { & kill -9 $leftover 2>$null } }
            & ip netns del $ns
        }
    }
}

function Wait-Until {
    # Polls a condition until it holds or the limit passes; throws naming what was awaited.
    param([Parameter(Mandatory)] [scriptblock] $Condition, [Parameter(Mandatory)] [string] $What, [double] $Seconds = 60, [scriptblock] $OnTimeout)
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) {
            if ($OnTimeout) { & $OnTimeout }
            throw "Still not true after $Seconds s: $What"
        }
        Start-Sleep -Milliseconds 100
    }
}
