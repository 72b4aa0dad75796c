#!/usr/bin/env bash
# Installs (first time) and starts the lab: MIT krb5 and Samba AD DC on 127.0.0.1. See README.md here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/install-packages.sh"
for s in "$here"/mit.sh "$here"/samba.sh; do [ -f "$s" ] && bash "$s" up; done
echo "lab: up"
