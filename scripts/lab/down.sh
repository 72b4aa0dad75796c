#!/usr/bin/env bash
# Stops the lab's servers by the PIDs the start scripts recorded (the proxy first: it fronts the KDCs).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for s in "$here"/kkdcp.sh "$here"/mit.sh "$here"/samba.sh; do [ -f "$s" ] && bash "$s" down; done
echo "lab: down"
