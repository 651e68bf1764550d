# Issue 17 across real hosts: network namespaces joined by a bridge, one pwsh process per namespace that types only
# `Start-ChatPeer -UserName <name> -Room <room>`. Real multicast DNS on the test's own veth links; nothing leaves them.
# Needs root and `ip netns` (skipped with the reason otherwise); `dotnet build` first, for out/PSGroupChat.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestLan.ps1')
    $script:lanProblem = Get-TestLanProblem
    $script:zeroconfProblem = if (-not (Test-Path /usr/bin/python3)) { '/usr/bin/python3 is not installed' }
    elseif ((& /usr/bin/python3 -c 'import zeroconf' 2>&1) -and $LASTEXITCODE -ne 0) { 'python3-zeroconf is not installed (apt-get install python3-zeroconf)' }
    $script:avahiProblem = foreach ($tool in 'avahi-daemon', 'avahi-browse', 'dbus-daemon', 'unshare') {
        if (-not (Get-Command $tool -ErrorAction Ignore)) { "$tool is not installed (apt-get install avahi-daemon avahi-utils dbus, with services kept from starting: the test starts them inside its namespace only)"; break }
    }
    $script:tmuxProblem = if (-not (Get-Command tmux -ErrorAction Ignore)) { 'tmux is not installed (apt-get install tmux)' }
    $script:tcpdumpProblem = if (-not (Get-Command tcpdump -ErrorAction Ignore)) { 'tcpdump is not installed (apt-get install tcpdump)' }
    # Pester shows a skipped test without its reason: say it here, once per missing piece.
    if ($lanProblem) { Write-Warning "LanRoom.Tests.ps1: every test is skipped: $lanProblem." }
    foreach ($problem in @(@('the zeroconf and flood checks', $zeroconfProblem), @('the avahi-browse check', $avahiProblem), @('the terminal check', $tmuxProblem), @('the secret check', $tcpdumpProblem))) {
        if ($problem[1] -and -not $lanProblem) { Write-Warning "LanRoom.Tests.ps1: $($problem[0]) is skipped: $($problem[1])." }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestLan.ps1')
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '..' '..' '..')).Path
    $script:module = Join-Path $repo 'out' 'PSGroupChat' 'PSGroupChat.psd1'
    if (-not (Test-Path $module)) { throw "The module is not built: run 'dotnet build' in $repo first." }
    $script:pwsh, $script:pwshArgs = Get-PwshCommand
    $env:POWERSHELL_TELEMETRY_OPTOUT = '1'
    $env:POWERSHELL_UPDATECHECK = 'Off'

    function Start-RoomPeer {
        param($Lan, [string] $HostName, [string] $UserName, [string] $Room, [string] $Secret, [string] $ListenAddress)
        $state = Join-Path $Lan.Folder "$UserName.json"
        $arguments = @($pwshArgs) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'RoomPeer.ps1'),
            '-Module', $module, '-UserName', $UserName, '-Room', $Room, '-State', $state)
        if ($Secret) { $arguments += @('-Secret', $Secret) }
        if ($ListenAddress) { $arguments += @('-ListenAddress', $ListenAddress) }
        $null = Start-InNamespace -Lan $Lan -Namespace $Lan.Hosts[$HostName].Namespace -FilePath $pwsh -ArgumentList $arguments -LogPrefix $state
        $state
    }

    function Read-PeerState([string] $State) {
        if (-not (Test-Path $State)) { return $null }
        try { Get-Content $State -Raw | ConvertFrom-Json -AsHashtable } catch { $null }
    }

    function Get-PeerLog([string] $State) {
        foreach ($file in "$State.out", "$State.err") { if (Test-Path $file) { "--- $file"; Get-Content $file -Raw } }
    }

    function Start-ZeroconfBrowser {
        # python3-zeroconf in a host's namespace: prints "add <instance>" / "remove <instance>" as it hears them.
        param($Lan, [string] $HostName)
        $log = Join-Path $Lan.Folder "zeroconf-$HostName"
        $script = @'
import sys, time
from zeroconf import Zeroconf, ServiceBrowser, IPVersion
class Listener:
    def add_service(self, zc, type_, name):
        info = zc.get_service_info(type_, name, 3000)
        txt = {} if info is None else {k.decode(): (v or b'').decode() for k, v in info.properties.items()}
        print('add', name, 'port', None if info is None else info.port, 'room', txt.get('room'), 'user', txt.get('user'), flush=True)
    def remove_service(self, zc, type_, name):
        print('remove', name, flush=True)
    def update_service(self, zc, type_, name):
        pass
zc = Zeroconf(interfaces=[sys.argv[1]], ip_version=IPVersion.V4Only)
ServiceBrowser(zc, '_psgroupchat._tcp.local.', Listener())
print('browsing', flush=True)
time.sleep(float(sys.argv[2]))
zc.close()
'@
        Set-Content "$log.py" $script
        $null = Start-InNamespace -Lan $Lan -Namespace $Lan.Hosts[$HostName].Namespace -FilePath /usr/bin/python3 `
            -ArgumentList @("$log.py", $Lan.Hosts[$HostName].Address, '120') -LogPrefix $log
        "$log.out"
    }
}

Describe 'Rooms on a LAN of network namespaces' -Skip:([bool]$lanProblem) {
    BeforeAll {
        if ($lanProblem) { return }
    }

    It 'three hosts that each type only Start-ChatPeer -Room end in one full mesh within 5 s; Find-ChatRoom and -Room completion list it; python3-zeroconf sees the room and a leaver''s goodbye' {
        $lan = New-TestLan -Folder $TestDrive -HostName ann, bob, cid, obs
        try {
            $watch = if (-not $zeroconfProblem) { Start-ZeroconfBrowser -Lan $lan -HostName obs }
            $states = [ordered]@{}
            foreach ($name in 'ann', 'bob', 'cid') { $states[$name] = Start-RoomPeer -Lan $lan -HostName $name -UserName $name -Room lobby }
            try {
                Wait-Until { @($states.Values | ForEach-Object { Read-PeerState $_ } | Where-Object { $_ -and $_.peers.Count -eq 2 }).Count -eq 3 } 'ann, bob and cid are linked to each other' 90
            }
            catch { $states.Values | ForEach-Object { Get-PeerLog $_ } | Write-Host; throw }
            $seen = $states.Values | ForEach-Object { Read-PeerState $_ }
            $lastStarted = ($seen | ForEach-Object started | Measure-Object -Maximum).Maximum
            $meshAt = ($seen | ForEach-Object { $_.joined.Values } | Measure-Object -Maximum).Maximum
            $meshSeconds = ($meshAt - $lastStarted) / 1000
            Write-Host "full mesh of 3 hosts $meshSeconds s after the last Start-ChatPeer returned"
            $meshSeconds | Should -BeLessThan 5
            $seen | ForEach-Object { $_.warnings.Count | Should -Be 0 -Because "multicast works on the test LAN ($($_.warnings))" }

            # Find-ChatRoom, its format view and -Room completion, from a host that is in no room.
            $find = Join-Path $lan.Folder 'find'
            $script = "Import-Module '$module'; Find-ChatRoom -Timeout 3 | ConvertTo-Json -Depth 3 | Set-Content '$find.json'; " +
                "Find-ChatRoom -Timeout 2 | Out-String -Width 200 | Set-Content '$find.txt'; " +
                "`$line = 'Start-ChatPeer -UserName dan -Room lo'; (TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches.CompletionText | Set-Content '$find.tab'"
            $finder = Start-InNamespace -Lan $lan -Namespace $lan.Hosts.obs.Namespace -FilePath $pwsh -ArgumentList (@($pwshArgs) + @('-NoProfile', '-NonInteractive', '-Command', $script)) -LogPrefix $find
            Wait-Until { $finder.HasExited } 'Find-ChatRoom ran' 90
            Write-Host (Get-Content "$find.txt" -Raw)
            $rooms = @(Get-Content "$find.json" -Raw | ConvertFrom-Json)
            $rooms.Count | Should -Be 1 -Because (Get-Content "$find.err" -Raw)
            $rooms[0].Room | Should -Be 'lobby'
            $rooms[0].SecretRequired | Should -BeFalse
            $rooms[0].MemberCount | Should -Be 3
            @($rooms[0].Members) | Should -Be @('ann', 'bob', 'cid')
            @($rooms[0].Endpoints | ForEach-Object { $_ -replace ':\d+$' } | Sort-Object) | Should -Be @('10.77.0.2', '10.77.0.3', '10.77.0.4')
            (Get-Content "$find.txt" -Raw) | Should -Match 'lobby\s+False\s+3 ann, bob, cid'
            (Get-Content "$find.tab") | Should -Be 'lobby'

            if ($watch) {
                Wait-Until { (Get-Content $watch -Raw -ErrorAction Ignore) -match '(?m)^add .*room lobby user cid' -and
                    (Get-Content $watch -Raw) -match '(?m)^add .*room lobby user ann' -and (Get-Content $watch -Raw) -match '(?m)^add .*room lobby user bob' } 'zeroconf resolved all three' 30
                New-Item "$($states.cid).stop" | Out-Null
                Wait-Until { (Get-Content $watch -Raw) -match '(?m)^remove cid in lobby' } 'zeroconf saw cid''s goodbye' 30
                Write-Host ((Get-Content $watch) -join "`n")
                (Get-Content $watch -Raw) | Should -Not -Match '(?m)^remove (ann|bob) '
            }
            else {
                Set-ItResult -Inconclusive -Because "the withdrawal was not checked with a standard tool: $zeroconfProblem"
            }
        }
        finally { Remove-TestLan $lan }
    }

    It 'avahi-browse, with its own dbus and avahi-daemon inside a test namespace, resolves a room and sees it withdrawn' -Skip:([bool]$avahiProblem) {
        $lan = New-TestLan -Folder $TestDrive -HostName ann, avh
        try {
            $browse = Join-Path $lan.Folder 'avahi'
            $null = Start-InNamespace -Lan $lan -Namespace $lan.Hosts.avh.Namespace -FilePath unshare `
                -ArgumentList @('-m', '--propagation', 'private', 'sh', (Join-Path $PSScriptRoot 'AvahiBrowse.sh'), "$browse.txt", "$browse.done") -LogPrefix $browse
            Wait-Until { Test-Path "$browse.txt.ready" } 'avahi-daemon runs in its namespace' 60 -OnTimeout { Get-Content "$browse.err" -Raw -ErrorAction Ignore | Write-Host }
            $ann = Start-RoomPeer -Lan $lan -HostName ann -UserName ann -Room lobby
            Wait-Until { (Get-Content "$browse.txt" -Raw) -match '(?m)^=;eth0;IPv4;ann\\032in\\032lobby-[0-9a-f]{8};_psgroupchat\._tcp;local;psgroupchat-[0-9a-f]{12}\.local;10\.77\.0\.2;\d+;.*"room=lobby"' } 'avahi-browse resolved the room' 60 `
                -OnTimeout { Get-Content "$browse.txt", "$browse.err" -ErrorAction Ignore | Write-Host; Get-PeerLog $ann | Write-Host }
            New-Item "$ann.stop" | Out-Null
            Wait-Until { (Get-Content "$browse.txt" -Raw) -match '(?m)^-;eth0;IPv4;ann\\032in\\032lobby' } 'avahi-browse saw the goodbye' 30 -OnTimeout { Get-Content "$browse.txt" | Write-Host }
            Write-Host ((Get-Content "$browse.txt") -join "`n")
            New-Item "$browse.done" | Out-Null
        }
        finally { Remove-TestLan $lan }
    }

    It 'Enter-ChatRoom -Room lobby (at a real terminal, in tmux) joins the room, chats, and leaves the chat on /quit' -Skip:([bool]$tmuxProblem) {
        $lan = New-TestLan -Folder $TestDrive -HostName ann, bob
        try {
            $bob = Start-RoomPeer -Lan $lan -HostName bob -UserName bob -Room lobby
            $socket = Join-Path $lan.Folder 'tmux.sock'
            $command = ((@($pwsh) + @($pwshArgs) | ForEach-Object { "'$_'" }) -join ' ') + " -NoProfile -NoExit -Command `"Import-Module '$module'; Enter-ChatRoom -Room lobby -UserName ann`""
            # The tmux server daemonizes inside ann's namespace; kill-server below, and Remove-TestLan after it, end it.
            & ip netns exec $lan.Hosts.ann.Namespace tmux -S $socket new-session -d -x 160 -y 40 $command
            $LASTEXITCODE | Should -Be 0
            $pane = { (& tmux -S $socket capture-pane -p -J -S -100 2>$null) -join "`n" }
            try {
                Wait-Until { (& $pane) -match '\*\*\* bob joined' } 'the room showed bob joining' 90
                & tmux -S $socket send-keys -t 0 'hello from the terminal' Enter
                Wait-Until { (Read-PeerState $bob).received.ann -ge 1 } 'bob received ann''s line' 30
                & tmux -S $socket send-keys -t 0 '/quit' Enter
                Wait-Until { @((Read-PeerState $bob).peers).Count -eq 0 } 'ann left the chat on /quit (the room''s own session is stopped)' 30
            }
            catch { Write-Host (& $pane); Get-PeerLog $bob | Write-Host; throw }
            Write-Host ((& $pane).TrimEnd())
        }
        finally {
            & tmux -S $socket kill-server 2>$null
            Remove-TestLan $lan
        }
    }

    It 'with a shared secret, hosts of the same room and secret join; another room, no secret or another secret do not; no name is on the wire' -Skip:([bool]$tcpdumpProblem) {
        $lan = New-TestLan -Folder $TestDrive -HostName ann, bob, eve, kim, lee
        try {
            $capture = Join-Path $lan.Folder 'mdns.pcap'
            $dump = Start-InNamespace -Lan $lan -Namespace $lan.Bridge -FilePath tcpdump -ArgumentList @('-i', 'br0', '-U', '-w', $capture, 'udp', 'port', '5353') -LogPrefix $capture
            Wait-Until { (Test-Path "$capture.err") -and (Get-Content "$capture.err" -Raw) -match 'listening on' } 'tcpdump listens' 30
            # User names long enough that no run of the capture's binary bytes (timestamps, ids, checksums) spells one by
            # chance: 'kim' did, as the bytes 6B 49 4D of a pcap timestamp, and the case-blind match failed the test.
            $users = @{ ann = 'ann-holds-the-secret'; bob = 'bob-holds-the-secret'; eve = 'eve'; kim = 'kim-holds-another-secret'; lee = 'lee-in-another-room' }
            $states = [ordered]@{
                ann = Start-RoomPeer -Lan $lan -HostName ann -UserName $users.ann -Room lobby -Secret 'correct-horse-battery-staple-9'
                bob = Start-RoomPeer -Lan $lan -HostName bob -UserName $users.bob -Room lobby -Secret 'correct-horse-battery-staple-9'
                eve = Start-RoomPeer -Lan $lan -HostName eve -UserName $users.eve -Room lobby                          # no secret
                kim = Start-RoomPeer -Lan $lan -HostName kim -UserName $users.kim -Room lobby -Secret 'another-secret-entirely-7731'
                lee = Start-RoomPeer -Lan $lan -HostName lee -UserName $users.lee -Room kitchen -Secret 'correct-horse-battery-staple-9'
            }
            try {
                Wait-Until { $a = Read-PeerState $states.ann; $b = Read-PeerState $states.bob; $a -and $b -and $a.peers -contains $users.bob -and $b.peers -contains $users.ann } 'ann and bob joined' 90
                Wait-Until { @($states.Values | ForEach-Object { Read-PeerState $_ } | Where-Object { $_ }).Count -eq 5 } 'all five run' 90
            }
            catch { $states.Values | ForEach-Object { Get-PeerLog $_ } | Write-Host; throw }
            # Every session has announced and answered queries for several seconds: long enough for a wrong join to show.
            $since = [DateTimeOffset]::UtcNow
            Wait-Until { ([DateTimeOffset]::UtcNow - $since).TotalSeconds -gt 6 } 'six more seconds of announcements' 10
            foreach ($name in $states.Keys) {
                $state = Read-PeerState $states[$name]
                $expected = switch ($name) { 'ann' { @($users.bob) } 'bob' { @($users.ann) } default { @() } }
                @($state.peers) | Should -Be $expected -Because "$name's room, secret or lack of one"
                @($state.warnings).Count | Should -Be 0
            }
            # The open session (eve) names itself; the others must not appear on the wire, nor their room's name with them.
            $dump.Kill(); $null = $dump.WaitForExit(10000)
            $bytes = [IO.File]::ReadAllBytes($capture)
            $wire = [Text.Encoding]::UTF8.GetString($bytes)
            $bytes.Length | Should -BeGreaterThan 1000 -Because 'the capture holds the announcements'
            $wire | Should -Match '_psgroupchat'
            $wire | Should -Match 'eve in lobby' -Because 'the open session announces its name and room (and proves the capture reads names)'
            foreach ($secretName in $users.ann, $users.bob, $users.kim, $users.lee, 'kitchen') { $wire | Should -Not -Match ([regex]::Escape($secretName)) }
            $wire | Should -Not -Match 'correct-horse'
        }
        finally { Remove-TestLan $lan }
    }

    It 'a flood of hundreds of fake announcements per second costs no message and keeps the mesh' -Skip:([bool]$zeroconfProblem) {
        $lan = New-TestLan -Folder $TestDrive -HostName ann, bob, mal
        try {
            $states = [ordered]@{ ann = Start-RoomPeer -Lan $lan -HostName ann -UserName ann -Room lobby; bob = Start-RoomPeer -Lan $lan -HostName bob -UserName bob -Room lobby }
            try { Wait-Until { @($states.Values | ForEach-Object { Read-PeerState $_ } | Where-Object { $_ -and $_.peers.Count -eq 1 }).Count -eq 2 } 'ann and bob linked' 90 }
            catch { $states.Values | ForEach-Object { Get-PeerLog $_ } | Write-Host; throw }
            $states.Values | ForEach-Object { New-Item "$_.talk" | Out-Null }

            # Raw DNS responses built with python3-zeroconf's own record classes: the room "lobby", a new peer id each,
            # half pointing at the flooder's address (dialed, refused at once), half at addresses it does not hold.
            $flood = Join-Path $lan.Folder 'flood'
            Set-Content "$flood.py" @'
import socket, sys, time, random
from zeroconf import DNSOutgoing, DNSPointer, DNSService, DNSText, DNSAddress
from zeroconf.const import _TYPE_PTR, _TYPE_SRV, _TYPE_TXT, _TYPE_A, _CLASS_IN
src, seconds, rate = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
sent, end = 0, time.time() + seconds
while time.time() < end:
    pid = '%032x' % random.getrandbits(128)
    name = 'fake%d in lobby-%s._psgroupchat._tcp.local.' % (sent, pid[:8])
    host = 'psgroupchat-%s.local.' % pid[:12]
    addr = src if sent % 2 == 0 else '10.77.0.%d' % random.randint(100, 250)
    out = DNSOutgoing(0x8400)
    out.add_answer_at_time(DNSPointer('_psgroupchat._tcp.local.', _TYPE_PTR, _CLASS_IN, 120, name), 0)
    out.add_answer_at_time(DNSService(name, _TYPE_SRV, _CLASS_IN, 120, 0, 0, random.randint(1024, 65000), host), 0)
    out.add_answer_at_time(DNSText(name, _TYPE_TXT, _CLASS_IN, 120, b'\x09txtvers=1\x0aroom=lobby\x23id=' + pid.encode() + b'\x08secret=0'), 0)
    out.add_answer_at_time(DNSAddress(host, _TYPE_A, _CLASS_IN, 120, socket.inet_aton(addr)), 0)
    for packet in out.packets():
        sock.sendto(packet, ('224.0.0.251', 5353))
    sent += 1
    time.sleep(1.0 / rate)
print('sent', sent, flush=True)
'@
            $flooder = Start-InNamespace -Lan $lan -Namespace $lan.Hosts.mal.Namespace -FilePath /usr/bin/python3 -ArgumentList @("$flood.py", $lan.Hosts.mal.Address, '5', '400') -LogPrefix $flood
            Wait-Until { $flooder.HasExited } 'the flood is over' 60
            Write-Host ("flood: " + (Get-Content "$flood.out" -Raw) + (Get-Content "$flood.err" -Raw -ErrorAction Ignore))
            (Get-Content "$flood.out" -Raw) | Should -Match 'sent ([1-9]\d\d\d)' -Because 'hundreds of fake announcements a second (over 1000 in 5 s) went out'

            $states.Values | ForEach-Object { Remove-Item "$_.talk" }
            Wait-Until {
                $a = Read-PeerState $states.ann; $b = Read-PeerState $states.bob
                $a.sent -gt 0 -and $b.sent -gt 0 -and $a.received.bob -eq $b.sent -and $b.received.ann -eq $a.sent
            } 'every message sent during the flood arrived' 60 -OnTimeout { $states.Values | ForEach-Object { Get-Content $_ -Raw; Get-PeerLog $_ } | Write-Host }
            foreach ($state in $states.Values | ForEach-Object { Read-PeerState $_ }) {
                @($state.peers).Count | Should -Be 1 -Because 'the flood did not break the link'
                Write-Host "$($state.user): sent $($state.sent), received $($state.received | ConvertTo-Json -Compress), dials started $($state.dials)"
                $state.dials | Should -BeLessOrEqual 256 -Because 'dials are bounded: three at a time, only announcements held (at most 256), each endpoint once per back-off, and never one pointing elsewhere than its sender'
            }
        }
        finally { Remove-TestLan $lan }
    }

    It '-ListenAddress limits the room to the interface holding it: a host on the other segment is not joined' {
        $lan = New-TestLan -Folder $TestDrive -HostName ann, bob
        try {
            Add-TestLanSegment -Lan $lan -DualHomed ann -HostName cid   # ann: 10.77.0.2 and 10.88.0.2; cid: 10.88.0.3 only
            $states = [ordered]@{
                ann = Start-RoomPeer -Lan $lan -HostName ann -UserName ann -Room lobby -ListenAddress 10.77.0.2
                bob = Start-RoomPeer -Lan $lan -HostName bob -UserName bob -Room lobby
                cid = Start-RoomPeer -Lan $lan -HostName cid -UserName cid -Room lobby
            }
            try {
                Wait-Until { $a = Read-PeerState $states.ann; $a -and $a.peers -contains 'bob' } 'ann and bob joined on their segment' 90
                Wait-Until { Read-PeerState $states.cid } 'cid runs' 90
            }
            catch { $states.Values | ForEach-Object { Get-PeerLog $_ } | Write-Host; throw }
            # cid has queried and announced on its segment for several seconds: long enough to have joined ann if ann were there.
            $since = [DateTimeOffset]::UtcNow
            Wait-Until { ([DateTimeOffset]::UtcNow - $since).TotalSeconds -gt 6 } 'six more seconds of announcements' 10
            @((Read-PeerState $states.ann).peers) | Should -Be @('bob')
            @((Read-PeerState $states.cid).peers) | Should -Be @()
            @((Read-PeerState $states.ann).warnings).Count | Should -Be 0
        }
        finally { Remove-TestLan $lan }
    }

    It 'without multicast on the only interface, Start-ChatPeer -Room warns once, and the chat works by address (-Room with -Peer); Find-ChatRoom says why it cannot browse' {
        $lan = New-TestLan -Folder $TestDrive -HostName ann, bob -NoMulticast
        try {
            $ann = Start-RoomPeer -Lan $lan -HostName ann -UserName ann -Room lobby
            $bob = Start-RoomPeer -Lan $lan -HostName bob -UserName bob -Room lobby -ListenAddress 10.77.0.3
            try { Wait-Until { (Read-PeerState $ann) -and (Read-PeerState $bob) } 'both started' 90 }
            catch { Get-PeerLog $ann, $bob | Write-Host; throw }
            foreach ($state in (Read-PeerState $ann), (Read-PeerState $bob)) {
                @($state.warnings).Count | Should -Be 1
                $state.warnings[0] | Should -Match 'not announced on the LAN'
                $state.warnings[0] | Should -Match "-Peer <this host>:$($state.port)"
            }
            # By address it still works, -Room and -Peer together: a third session in ann's namespace joins bob.
            $join = Join-Path $lan.Folder 'join'
            $script = "Import-Module '$module'; `$s = Start-ChatPeer -UserName cid -Room lobby -Peer 10.77.0.3:$((Read-PeerState $bob).port) -WarningVariable w -WarningAction SilentlyContinue; `$s.PeerCount; `$w.Count; Stop-ChatPeer -Session `$s; " +
                "try { Find-ChatRoom -Timeout 0.5 } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
            $process = Start-InNamespace -Lan $lan -Namespace $lan.Hosts.ann.Namespace -FilePath $pwsh -ArgumentList (@($pwshArgs) + @('-NoProfile', '-NonInteractive', '-Command', $script)) -LogPrefix $join
            Wait-Until { $process.HasExited } 'cid joined by address' 90
            $said = @(Get-Content "$join.out")
            $said[0..1] | Should -Be @('1', '1') -Because "cid linked to bob and was warned once ($(Get-Content "$join.err" -Raw))"
            $said[2] | Should -Be 'MulticastUnavailable,PSGroupChat.Commands.FindChatRoomCommand'
            $said[3] | Should -Match 'no network interface that is up carries IPv4 multicast.*Start-ChatPeer -Peer'
            $said.Count | Should -Be 4
        }
        finally { Remove-TestLan $lan }
    }
}

AfterAll {
    # Whatever happened above, no namespace of this test is left.
    if (-not $lanProblem) { @(& ip netns list) -match "^pgc$PID" | Should -BeNullOrEmpty }
}
