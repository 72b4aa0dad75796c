#!/usr/bin/env bash
# Installs (first time) and starts the lab: MIT krb5 and Samba AD DC on 127.0.0.1, OpenLDAP with SASL GSSAPI, the
# KKDCP proxy in front of
# them, Apache httpd with mod_auth_gssapi (HTTP Negotiate back ends), and the other JavaScript runtimes the runtime
# tests use (Bun, Deno, newer Node; from the npm registry, outside package.json). See README.md here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/install-packages.sh"
bash "$here/../runtimes/install.sh" >/dev/null
for s in "$here"/mit.sh "$here"/ldap.sh "$here"/samba.sh "$here"/kkdcp.sh "$here"/apache.sh "$here"/redis.sh "$here"/kcm.sh; do [ -f "$s" ] && bash "$s" up; done
echo "lab: up"
