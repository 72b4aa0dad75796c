#!/usr/bin/env bash
# Redis on 127.0.0.1 for the shared delegation ticket store (tskrb/delegation/redis): Debian's redis-server, a
# password (requirepass, fresh on every up), no persistence, its own directory under .lab/redis, stopped by its
# recorded PID. Usage: redis.sh up|down|status (and serve, below). Writes ${TSKRB_LAB_DIR:-<repo>/.lab}/redis.json.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
lab_init redis
PORT=${TSKRB_REDIS_PORT:-16379}
SERVER=/usr/bin/redis-server
CLI=/usr/bin/redis-cli
pidfile=$lab/redis.pid

# True if PID is a live redis-server of this lab (the binary, listening on our port per its title).
alive() {
  running "${1:-}" || return 1
  # Debian's redis-server is a link to redis-check-rdb: compare the resolved binary.
  [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$(realpath "$SERVER")" ] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "127.0.0.1:$PORT"
}

cmd_down() {
  stop_pid "$(pid_of "$pidfile")" 150 alive
  rm -f "$pidfile" "$json"
}

# The settings every Redis of the lab runs with: loopback only, a password, no persistence. settings PORT PASSWORD DIR
settings() {
  printf '%s\n' "bind 127.0.0.1" "port $1" "protected-mode yes" "requirepass $2" "dir $3" 'save ""' "appendonly no"
}

# serve PORT DIR: a throwaway redis-server in the foreground with the lab's settings and the password in
# $TSKRB_REDIS_PASSWORD (not on its command line), for tests that kill and restart their own by PID: exec keeps the PID.
cmd_serve() {
  [[ ${1:-} =~ ^[0-9]+$ ]] && [ -d "${2:-}" ] && [ -n "${TSKRB_REDIS_PASSWORD:-}" ] ||
    die "usage: TSKRB_REDIS_PASSWORD=... redis.sh serve PORT DIR"
  exec "$SERVER" - < <(settings "$1" "$TSKRB_REDIS_PASSWORD" "$2")
}

cmd_status() { status_of "redis" "127.0.0.1:$PORT"; }

cmd_up() {
  local T0 pass pid i
  T0=$(date +%s.%N)
  [ -x "$SERVER" ] || die "$SERVER missing: bash scripts/lab/install-packages.sh"
  cmd_down
  rm -rf "$lab"
  mkdir -p "$lab"
  chmod 700 "$lab"
  pass=$(openssl rand -hex 24)
  { settings "$PORT" "$pass" "$lab"; printf 'daemonize yes\npidfile %s\nlogfile %s\n' "$pidfile" "$lab/redis.log"; } \
    >"$lab/redis.conf"
  chmod 600 "$lab/redis.conf"
  "$SERVER" "$lab/redis.conf" || { tail -20 "$lab/redis.log" 2>/dev/null; die "redis-server did not start"; }
  for i in $(seq 250); do
    pid=$(pid_of "$pidfile")
    if alive "$pid" && [ "$(REDISCLI_AUTH=$pass "$CLI" -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = PONG ]; then break; fi
    sleep 0.02
  done
  alive "$pid" || { tail -20 "$lab/redis.log" 2>/dev/null; cmd_down; die "redis-server not answering on 127.0.0.1:$PORT"; }
  "${PYTHON:-/usr/bin/python3}" - "$json" <<PY
import json, sys
info = {
  "kind": "redis", "schemaVersion": 1, "createdAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "upSeconds": round($(date +%s.%N) - $T0, 2), "labDir": "$lab",
  "host": "127.0.0.1", "port": $PORT, "password": "$pass",
  "url": "redis://:$pass@127.0.0.1:$PORT", "pid": $pid, "pidFile": "$pidfile",
  "conf": "$lab/redis.conf", "log": "$lab/redis.log",
  "tools": {"redisServer": "$SERVER", "redisCli": "$CLI"},
}
with open(sys.argv[1] + ".new", "w") as f:
  json.dump(info, f, indent=2)
PY
  chmod 600 "$json.new"
  mv "$json.new" "$json"
  log "up: 127.0.0.1:$PORT (pid $pid); $json"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  serve) shift; cmd_serve "$@" ;;
  status) cmd_status ;;
  *) die "usage: redis.sh up|down|status, or serve PORT DIR" ;;
esac
