#!/bin/sh
# avahi-browse as a standard DNS-SD client, run INSIDE a test namespace only:
#   ip netns exec <ns> unshare -m --propagation private sh AvahiBrowse.sh <output> <done-file>
# A private mount namespace gets its own /run/dbus and /run/avahi-daemon, so the system bus and avahi-daemon started
# here are this namespace's own: nothing is started in the root network namespace. Ends when <done-file> appears.
set -e
out="$1"; done_file="$2"
mount -t tmpfs tmpfs /run/dbus
mkdir -p /run/avahi-daemon
mount -t tmpfs tmpfs /run/avahi-daemon
bus=$(dbus-daemon --system --fork --nopidfile --print-pid)
avahi-daemon --no-chroot --no-rlimits -D
i=0; while [ ! -S /run/avahi-daemon/socket ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
avahi-browse -rpk _psgroupchat._tcp > "$out" 2>&1 &
browse=$!
echo started >> "$out.ready"
while [ ! -e "$done_file" ]; do sleep 0.1; done
kill $browse || true
avahi-daemon -k || true
kill $bus || true
