#!/usr/bin/env bash
# Stops the lab's KDCs by the PIDs the start scripts recorded.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for s in "$here"/mit.sh "$here"/samba.sh; do [ -f "$s" ] && bash "$s" down; done
echo "lab: down"
