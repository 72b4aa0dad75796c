#!/usr/bin/env bash
# Stops the lab's servers by the PIDs the start scripts recorded (Apache and the proxy first: they front the KDCs).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for s in "$here"/kcm.sh "$here"/redis.sh "$here"/apache.sh "$here"/kkdcp.sh "$here"/ldap.sh "$here"/mit.sh "$here"/samba.sh; do [ -f "$s" ] && bash "$s" down; done
echo "lab: down"
