#!/usr/bin/env bash
# sssd-kcm on its own Unix socket for the KCM: ccache tests: Debian's sssd_kcm run directly (no systemd) as
# `sssd_kcm --uid 0 --gid 0`, its socket under .lab/kcm, stopped by its recorded PID. sssd_kcm reads its settings
# from sssd's configuration database, so `up` first loads .lab/kcm/sssd.conf's [kcm] section into it
# (`sssd -c … --genconf-section=kcm`); sssd keeps the caches themselves in its own database
# (/var/lib/sss/secrets), as the packaged service does. Writes .lab/kcm/krb5.conf (the MIT lab's, plus kcm_socket)
# and ${TSKRB_LAB_DIR:-<repo>/.lab}/kcm.json. Usage: kcm.sh up|down|status (after mit.sh up).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
lab_init kcm
KCM=/usr/libexec/sssd/sssd_kcm
SSSD=/usr/sbin/sssd
socket=${TSKRB_KCM_SOCKET:-$lab/kcm.socket}
pidfile=$lab/sssd_kcm.pid

# True if PID is a live sssd_kcm (not a zombie).
alive() {
  running "${1:-}" && [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$(realpath "$KCM")" ]
}

cmd_down() {
  stop_pid "$(pid_of "$pidfile")" 150 alive
  rm -f "$pidfile" "$json" "$socket"
}

cmd_status() { status_of "sssd_kcm" "$socket"; }

cmd_up() {
  local T0 pid i mit_json mit_conf mit_created
  T0=$(date +%s.%N)
  [ -x "$KCM" ] || die "$KCM missing: bash scripts/lab/install-packages.sh (Debian sssd-kcm)"
  mit_json=$lab_root/mit.json
  [ -f "$mit_json" ] || die "$mit_json missing: run mit.sh up first"
  mit_conf=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["krb5Conf"])' "$mit_json")
  mit_created=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["createdAt"])' "$mit_json")
  cmd_down
  rm -rf "$lab"
  mkdir -p "$lab" "$(dirname "$socket")"
  chmod 700 "$lab"
  # responder_idle_timeout = 0: sssd_kcm otherwise exits after 300 s without a client (it expects systemd to
  # start it again on the next connection), which would leave the lab without a KCM halfway through a test run.
  printf '[sssd]\nservices = kcm\n\n[kcm]\nsocket_path = %s\nresponder_idle_timeout = 0\n' "$socket" >"$lab/sssd.conf"
  chmod 600 "$lab/sssd.conf"
  "$SSSD" -c "$lab/sssd.conf" --genconf-section=kcm || die "sssd --genconf-section=kcm failed"
  # sssd_kcm dies with its parent (PR_SET_PDEATHSIG): a waiting shell stays its parent, as systemd is for the
  # packaged service; it ends when sssd_kcm does.
  rm -f "$pidfile"
  setsid bash -c '"$0" --uid 0 --gid 0 --logger=stderr -d 2 & echo $! >"$1"; wait' "$KCM" "$pidfile" \
    >"$lab/sssd_kcm.log" 2>&1 </dev/null &
  for i in $(seq 250); do [ -s "$pidfile" ] && break; sleep 0.02; done
  pid=$(pid_of "$pidfile")
  for i in $(seq 250); do [ -S "$socket" ] && break; alive "$pid" || break; sleep 0.02; done
  [ -S "$socket" ] && alive "$pid" || { tail -20 "$lab/sssd_kcm.log"; cmd_down; die "sssd_kcm did not open $socket"; }
  # MIT's tools find the KCM through kcm_socket in [libdefaults].
  sed "s|^\[libdefaults\]|[libdefaults]\n  kcm_socket = $socket|" "$mit_conf" >"$lab/krb5.conf"
  KRB5_CONFIG=$lab/krb5.conf /usr/bin/klist -c KCM: >/dev/null 2>&1 || true
  /usr/bin/python3 - "$json" <<PY
import json, sys
info = {
  "kind": "kcm", "schemaVersion": 1, "createdAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "upSeconds": round($(date +%s.%N) - $T0, 2), "labDir": "$lab", "mitCreatedAt": "$mit_created",
  "socket": "$socket", "pid": $pid, "pidFile": "$pidfile", "log": "$lab/sssd_kcm.log",
  "krb5Conf": "$lab/krb5.conf", "env": {"KRB5_CONFIG": "$lab/krb5.conf"},
  "tools": {"sssdKcm": "$KCM"},
}
with open(sys.argv[1] + ".new", "w") as f:
  json.dump(info, f, indent=2)
PY
  chmod 600 "$json.new"
  mv "$json.new" "$json"
  log "up: $socket (pid $pid); $json"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) die "usage: kcm.sh up|down|status" ;;
esac
