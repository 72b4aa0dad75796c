#!/usr/bin/env bash
# Samba 4.22 AD DC for the lab: realm SAMBA.TEST, KDC only, on 127.0.0.1 at a non-default port.
# Usage: samba.sh up|down|status. Needs root. Everything lives under ${TSKRB_LAB_DIR:-<repo>/.lab}/samba/
# (never /etc/samba or /var/lib/samba); `up` writes ${TSKRB_LAB_DIR:-<repo>/.lab}/samba.json. See README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
lab=${TSKRB_LAB_DIR:-$repo/.lab}
mkdir -p "$lab"
lab=$(cd "$lab" && pwd)
base=$lab/samba
dc=$base/dc                     # the running instance: wiped and recreated by every `up`
conf=$dc/etc/smb.conf
pidfile=$dc/run/samba.pid
logfile=$dc/samba.log
krb5conf=$base/krb5.conf
json=$lab/samba.json

REALM=SAMBA.TEST
DOMAIN=SAMBA
DNS_DOMAIN=samba.test
HOST=127.0.0.1
KDC_PORT=${TSKRB_SAMBA_KDC_PORT:-10088}
KPASSWD_PORT=${TSKRB_SAMBA_KPASSWD_PORT:-10464}
PY=/usr/bin/python3             # Debian's python: the samba modules are not on other pythons' paths

log() { echo "samba.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'; }

# The lab's samba root process, by the PID its pid file records, and only if that process is a samba
# holding files of this lab open (a reused PID or another samba never matches).
lab_pid() {
  local pid
  [ -s "$pidfile" ] || return 1
  pid=$(tr -dc 0-9 <"$pidfile")
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$(command -v samba)")" ] || return 1
  find "/proc/$pid/fd" -maxdepth 1 -lname "$dc/*" -print -quit 2>/dev/null | grep -q . || return 1
  echo "$pid"
}

# Gone or a zombie (this machine's PID 1 reaps orphans only about every 1.5 s).
alive() { [ -d "/proc/$1" ] && ! grep -qs '^State:.*Z' "/proc/$1/status"; }

kdc_answers() { (exec 3<>"/dev/tcp/$HOST/$KDC_PORT") 2>/dev/null; }

# down: SIGTERM (samba's root process stops its workers, about 1.5 s). `up` passes "wipe": the instance
# is about to be deleted, so SIGKILL to the daemon's own process group (-D makes it a group leader).
cmd_down() {
  local pid i how=${1:-}
  rm -f "$json"
  if ! pid=$(lab_pid); then
    log "down (not running)"
    return 0
  fi
  [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] || how=term-only
  if [ "$how" = wipe ]; then kill -KILL -- "-$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
  for i in $(seq 200); do alive "$pid" || break; sleep 0.025; done
  if alive "$pid"; then
    log "pid $pid still there after 5 s; SIGKILL"
    if [ "$how" = term-only ]; then kill -KILL "$pid"; else kill -KILL -- "-$pid"; fi 2>/dev/null || true
  fi
  log "down (stopped pid $pid)"
}

cmd_status() {
  local pid
  if pid=$(lab_pid); then
    echo "samba: running pid $pid, KDC $HOST:$KDC_PORT $(kdc_answers && echo answering || echo 'NOT answering')"
    [ -f "$json" ] && echo "json: $json"
    return 0
  fi
  echo "samba: not running"
  return 3
}

port_busy() { ss -Hlnu "sport = :$1" | grep -q . || ss -Hlnt "sport = :$1" | grep -q .; }

provision() {
  local t0 adminpass
  t0=$(now)
  adminpass="Lab-$(head -c 18 /dev/urandom | base64 | tr -dc A-Za-z0-9)9z"
  mkdir -p "$dc"
  : >"$base/empty.conf" # provision from an empty config, not /etc/samba/smb.conf
  samba-tool domain provision --configfile="$base/empty.conf" --targetdir="$dc" \
    --realm=$REALM --domain=$DOMAIN --server-role=dc --dns-backend=NONE --host-name=dc1 \
    --adminpass="$adminpass" \
    --option="interfaces = $HOST" --option="bind interfaces only = yes" \
    --option="server services = kdc" \
    --option="krb5 port = $KDC_PORT" --option="kpasswd port = $KPASSWD_PORT" \
    --option="pid directory = $dc/run" --option="log file = $logfile" \
    --option="log level = 1 kerberos:3 kdc:3" \
    >"$base/provision.log" 2>&1 || { tail -20 "$base/provision.log" >&2; die "provision failed ($base/provision.log)"; }
  log "provisioned in $(since "$t0") s"
  t0=$(now)
  "$PY" "$here/samba/accounts.py" create "$conf" >>"$base/provision.log" 2>&1 ||
    { tail -20 "$base/provision.log" >&2; die "creating accounts failed ($base/provision.log)"; }
  log "accounts created in $(since "$t0") s"
}

write_krb5_conf() {
  cat >"$krb5conf" <<EOF
# Written by scripts/lab/samba.sh: MIT client tools against the lab's Samba AD DC.
[libdefaults]
	default_realm = $REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	dns_canonicalize_hostname = false
	forwardable = true

[realms]
	$REALM = {
		kdc = $HOST:$KDC_PORT
		kpasswd_server = $HOST:$KPASSWD_PORT
	}

[domain_realm]
	.$DNS_DOMAIN = $REALM
	$DNS_DOMAIN = $REALM
EOF
}

# kinit as alice proves the KDC answers AS requests with the new passwords.
kdc_check() {
  local pw
  pw=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["principals"]["alice"]["password"])' "$base/accounts.json")
  KRB5_CONFIG=$krb5conf KRB5CCNAME="FILE:$base/check.ccache" kinit "alice@$REALM" <<<"$pw" >/dev/null 2>&1
}

write_json() {
  local pid=$1 up_seconds=$2 template=$3
  LAB_DIR=$lab BASE=$base DC=$dc CONF=$conf KRB5CONF=$krb5conf LOGFILE=$logfile PIDFILE=$pidfile PID=$pid \
    REALM=$REALM DOMAIN=$DOMAIN DNS_DOMAIN=$DNS_DOMAIN HOST=$HOST KDC_PORT=$KDC_PORT KPASSWD_PORT=$KPASSWD_PORT \
    UP_SECONDS=$up_seconds TEMPLATE=$template VERSION="$(samba --version)" \
    "$PY" - "$base/accounts.json" "$json.tmp" <<'PY'
import datetime, json, os, sys
e = os.environ
acc = json.load(open(sys.argv[1]))
port = int(e["KDC_PORT"])
doc = {
    "kind": "samba",
    "schemaVersion": 1,
    "createdAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "sambaVersion": e["VERSION"],
    "labDir": e["LAB_DIR"],
    "realm": e["REALM"],
    "netbiosDomain": e["DOMAIN"],
    "dnsDomain": e["DNS_DOMAIN"],
    "domainSid": acc["domainSid"],
    "kdc": {"host": e["HOST"], "port": port},
    "kdcs": ["%s:%d" % (e["HOST"], port)],
    "kpasswd": {"host": e["HOST"], "port": int(e["KPASSWD_PORT"])},
    "transports": ["udp", "tcp"],
    "enctypes": [18, 17, 23],
    "krb5Conf": e["KRB5CONF"],
    "env": {"KRB5_CONFIG": e["KRB5CONF"]},
    "smbConf": e["CONF"],
    "samLdb": os.path.join(e["DC"], "private", "sam.ldb"),
    "logFile": e["LOGFILE"],
    "pidFile": e["PIDFILE"],
    "pid": int(e["PID"]),
    "upSeconds": float(e["UP_SECONDS"]),
    "fromTemplate": e["TEMPLATE"] == "1",
    "principals": acc["principals"],
    "groups": acc["groups"],
    "krbtgt": acc["krbtgt"],
    "delegation": acc["delegation"],
    "rbcd": acc["rbcd"],
    "s4u": {"user": "alice", "front": "websvc", "backend": "filesvc", "backendSpn": "cifs/file.samba.test",
            "frontNoProtocolTransition": "noprotosvc",
            "rbcdFront": "rbcdfront", "rbcdFrontNoProtocolTransition": "rbcdnoproto", "rbcdBackend": "rbcdback",
            "rbcdBackendSpn": "cifs/rbcdback.samba.test"},
}
with open(sys.argv[2], "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
PY
  mv "$json.tmp" "$json"
}

cmd_up() {
  local t0 key template from_template=0 pid i t_down t_dc t_acc t_listen
  t0=$(now)
  [ "$(id -u)" = 0 ] || die "run as root (samba refuses otherwise)"
  for b in samba samba-tool kinit ss "$PY"; do
    command -v "$b" >/dev/null || die "$b not found: run scripts/lab/install-packages.sh"
  done
  cmd_down wipe
  t_down=$(since "$t0")
  for p in "$KDC_PORT" "$KPASSWD_PORT"; do
    port_busy "$p" && die "port $p is in use ($(ss -Hlntup "sport = :$p" | head -2 | tr -s ' ')); set TSKRB_SAMBA_KDC_PORT / TSKRB_SAMBA_KPASSWD_PORT"
  done

  # Provisioning is most of the cost, so a provisioned domain with its accounts (not their passwords)
  # is kept as a template, keyed by everything that shapes it. It is provisioned at $dc itself, so the
  # absolute paths in smb.conf hold for the copy. TSKRB_SAMBA_NO_TEMPLATE=1 provisions afresh.
  key=$( { cat "$0" "$here/samba/accounts.py"; samba --version; echo "$dc $KDC_PORT $KPASSWD_PORT"; } | sha256sum | cut -c1-16)
  template=$base/template-$key
  rm -rf "$dc" "$base/accounts.json" "$base/check.ccache"
  mkdir -p "$base"
  if [ -d "$template" ] && [ "${TSKRB_SAMBA_NO_TEMPLATE:-0}" != 1 ]; then
    cp -a "$template" "$dc"
    from_template=1
  else
    provision
    rm -rf "$base"/template-*
    cp -a "$dc" "$template.tmp" && mv "$template.tmp" "$template"
  fi

  t_dc=$(since "$t0")
  mkdir -p "$dc/keytabs" "$dc/run"
  "$PY" "$here/samba/accounts.py" refresh "$conf" "$dc/keytabs" "$base/accounts.json" >"$base/refresh.log" 2>&1 ||
    { tail -20 "$base/refresh.log" >&2; die "setting passwords and exporting keytabs failed ($base/refresh.log)"; }
  write_krb5_conf
  t_acc=$(since "$t0")

  # 9>&-: the daemon must not inherit the lock of this script, or it holds it for its lifetime.
  samba -s "$conf" -D </dev/null >>"$base/start.log" 2>&1 9>&- || { tail -20 "$logfile" >&2; die "samba did not start"; }
  for i in $(seq 400); do
    kdc_answers && pid=$(lab_pid) && break
    sleep 0.025
  done
  if ! kdc_answers || ! pid=$(lab_pid); then
    echo "---- $logfile (tail) ----" >&2; tail -30 "$logfile" >&2 || true
    die "KDC not listening on $HOST:$KDC_PORT after 10 s"
  fi
  t_listen=$(since "$t0")
  for i in $(seq 40); do kdc_check && break; sleep 0.25; done
  if ! kdc_check; then
    echo "---- $logfile (tail) ----" >&2; tail -30 "$logfile" >&2 || true
    die "kinit alice@$REALM against $HOST:$KDC_PORT failed"
  fi
  write_json "$pid" "$(since "$t0")" "$from_template"
  log "up in $(since "$t0") s ($([ $from_template = 1 ] && echo template || echo provisioned)): $REALM KDC $HOST:$KDC_PORT pid $pid; $json"
  log "  cumulative: old lab down $t_down s, domain ready $t_dc s, passwords+keytabs $t_acc s, listening $t_listen s"
}

main() {
  local cmd=${1:-}
  case $cmd in
    up | down)
      mkdir -p "$base"
      exec 9>"$base/.lock"
      flock 9
      "cmd_$cmd"
      ;;
    status) cmd_status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
  esac
}

main "$@"
