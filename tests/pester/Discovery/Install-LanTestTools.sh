#!/usr/bin/env bash
# Installs what tests/pester/Discovery needs inside its network namespaces (python3-zeroconf, avahi, dbus, tcpdump,
# tmux) on a Debian machine, as root. Nothing may start a daemon in the root namespace, where mDNS would reach a real
# network: a policy-rc.d that refuses every service start is in place for the install, and any avahi-daemon or
# dbus-daemon running afterwards outside a test namespace is a failure. Without root or apt-get it says so and does
# nothing (the tests then skip, naming what is missing).
set -euo pipefail
packages=(python3-zeroconf avahi-daemon avahi-utils dbus tcpdump tmux)
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Install-LanTestTools: not root or no apt-get, so ${packages[*]} were not installed; the LAN tests that need them skip" >&2
  exit 0
fi
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ "${#missing[@]}" -eq 0 ] && exit 0

guard=/usr/sbin/policy-rc.d
created_guard=0
if [ ! -e "$guard" ]; then
  printf '#!/bin/sh\n# Installed by Install-LanTestTools.sh for the duration of an install: no service starts.\nexit 101\n' > "$guard"
  chmod +x "$guard"
  created_guard=1
fi
trap '[ "$created_guard" -eq 1 ] && rm -f "$guard"' EXIT
echo "Install-LanTestTools: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if pgrep -x avahi-daemon >/dev/null || pgrep -x dbus-daemon >/dev/null; then
  echo "Install-LanTestTools: a daemon started during the install; stopping it, as it must never run in the root namespace" >&2
  pkill -x avahi-daemon || true
  pkill -x dbus-daemon || true
fi
