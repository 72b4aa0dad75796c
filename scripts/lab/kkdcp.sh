#!/usr/bin/env bash
# MS-KKDCP proxy on 127.0.0.1 in front of the lab KDCs: Debian's python3-kdcproxy (the FreeIPA KDC proxy) served
# by gunicorn with TLS from a lab CA, forwarding over TCP to every realm of .lab/mit.json (and .lab/samba.json if
# present). POST https://127.0.0.1:PORT/KdcProxy; GET /www/* serves the browser test page from the same origin.
# Usage: kkdcp.sh up|down|status. Start the MIT lab first. Writes ${TSKRB_LAB_DIR:-<repo>/.lab}/kkdcp.json.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
lab_init kkdcp
PORT=${TSKRB_KKDCP_PORT:-10443}
PY=/usr/bin/python3
GUNICORN=/usr/bin/gunicorn
pidfile=$lab/gunicorn.pid

# True if PID is a live gunicorn master started from this lab directory (its command line names our PID file).
alive() {
  running "${1:-}" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "--pid $pidfile"
}

cmd_down() {
  # The master only: gunicorn stops its own workers.
  stop_pid "$(pid_of "$pidfile")" 150 alive
  rm -f "$pidfile" "$json"
}

cmd_status() { status_of "kkdcp" "gunicorn https://127.0.0.1:$PORT/KdcProxy"; }

# Lab CA and a server certificate for 127.0.0.1, ::1 and localhost (EC P-256). Kept across restarts.
make_certs() {
  [ -f "$lab/ca/ca.pem" ] && [ -f "$lab/server.pem" ] && [ -f "$lab/server.key" ] && return 0
  mkdir -p "$lab/ca"
  openssl ecparam -name prime256v1 -genkey -noout -out "$lab/ca/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$lab/ca/ca.key" -sha256 -days 3650 -subj "/CN=tskrb lab KKDCP CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$lab/ca/ca.pem" 2>/dev/null
  openssl ecparam -name prime256v1 -genkey -noout -out "$lab/server.key" 2>/dev/null
  openssl req -new -key "$lab/server.key" -subj "/CN=127.0.0.1" -out "$lab/server.csr" 2>/dev/null
  cat >"$lab/server.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
EXT
  openssl x509 -req -in "$lab/server.csr" -CA "$lab/ca/ca.pem" -CAkey "$lab/ca/ca.key" -CAcreateserial \
    -days 825 -sha256 -extfile "$lab/server.ext" -out "$lab/server.pem" 2>/dev/null
  chmod 600 "$lab/ca/ca.key" "$lab/server.key"
}

# kdcproxy.conf, krb5.conf and kkdcp.json (moved into place once the proxy answers) from the running labs' JSON files.
write_config() {
  "$PY" - "$lab_root" "$lab" "$PORT" "$lab/kkdcp.json.new" <<'PY'
import base64, hashlib, json, os, subprocess, sys
lab_root, lab, port, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
realms = {}
for name in ("mit", "samba"):
    p = os.path.join(lab_root, name + ".json")
    if not os.path.exists(p):
        continue
    j = json.load(open(p))
    rs = j.get("realms") or {j["realm"]: {"name": j["realm"], "kdcs": j["kdcs"]}}
    for r in rs.values():
        realms[r["name"]] = {"lab": name, "kdcs": r["kdcs"]}
with open(os.path.join(lab, "kdcproxy.conf"), "w") as f:
    f.write("[global]\nuse_dns = false\n")
    for name, r in realms.items():
        f.write("\n[%s]\nkerberos = %s\n" % (name, " ".join("kerberos+tcp://" + k for k in r["kdcs"])))
# SHA-256 of the server's SubjectPublicKeyInfo: Chromium's --ignore-certificate-errors-spki-list pins it.
der = subprocess.run(["openssl", "pkey", "-in", os.path.join(lab, "server.key"), "-pubout", "-outform", "DER"],
                     check=True, capture_output=True).stdout
url = "https://127.0.0.1:%d/KdcProxy" % port
info = {
    "kind": "kkdcp",
    "schemaVersion": 1,
    "url": url,
    "origin": "https://127.0.0.1:%d" % port,
    "host": "127.0.0.1",
    "port": port,
    "caCert": os.path.join(lab, "ca", "ca.pem"),
    "serverCert": os.path.join(lab, "server.pem"),
    "spkiSha256": base64.b64encode(hashlib.sha256(der).digest()).decode(),
    "wwwDir": os.path.join(lab, "www"),
    "wwwUrl": "https://127.0.0.1:%d/www/" % port,
    "realms": {n: {"name": n, "lab": r["lab"], "upstream": r["kdcs"], "kdc": url} for n, r in realms.items()},
    "realm": "MIT.TEST" if "MIT.TEST" in realms else next(iter(realms), None),
    "proxy": "python3-kdcproxy under gunicorn (TLS), upstream over TCP",
    "pidFile": os.path.join(lab, "gunicorn.pid"),
    "log": os.path.join(lab, "gunicorn.log"),
    "krb5Conf": os.path.join(lab, "krb5.conf"),
}
# A krb5.conf whose realms reach their KDCs only through the proxy (MIT syntax: kdc = https://host/KdcProxy).
with open(info["krb5Conf"], "w") as f:
    f.write("[libdefaults]\n default_realm = %s\n dns_lookup_kdc = false\n\n[realms]\n" % info["realm"])
    for n in realms:
        f.write(" %s = {\n  kdc = %s\n  http_anchors = FILE:%s\n }\n" % (n, url, info["caCert"]))
with open(out, "w") as f:
    json.dump(info, f, indent=2)
    f.write("\n")
PY
}

# One TLS round trip to /health with the lab CA: proves the certificate chain and the server.
probe() {
  "$PY" - "$lab/ca/ca.pem" "$PORT" <<'PY'
import http.client, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
c = http.client.HTTPSConnection("127.0.0.1", int(sys.argv[2]), context=ctx, timeout=3)
c.request("GET", "/health")
sys.exit(0 if c.getresponse().status == 200 else 1)
PY
}

cmd_up() {
  local T0 pid i
  T0=$(date +%s.%N)
  [ -x "$GUNICORN" ] || die "gunicorn missing: apt-get install gunicorn python3-kdcproxy"
  "$PY" -c 'import kdcproxy' 2>/dev/null || die "python3-kdcproxy missing: apt-get install python3-kdcproxy"
  [ -f "$lab_root/mit.json" ] || [ -f "$lab_root/samba.json" ] || die "no lab JSON in $lab_root: start the MIT lab first"
  cmd_down
  listening "$PORT" && die "port $PORT is taken by another process (set TSKRB_KKDCP_PORT)"
  mkdir -p "$lab/www"
  make_certs
  write_config
  rm -f "$lab/gunicorn.log"
  "$GUNICORN" --daemon --pid "$pidfile" --bind "127.0.0.1:$PORT" \
    --certfile "$lab/server.pem" --keyfile "$lab/server.key" \
    --worker-class gthread --workers 2 --threads 4 --timeout 60 \
    --chdir "$here/kkdcp" --env "KDCPROXY_CONFIG=$lab/kdcproxy.conf" --env "TSKRB_KKDCP_WWW=$lab/www" \
    --error-logfile "$lab/gunicorn.log" --access-logfile "$lab/access.log" app:application
  for i in $(seq 250); do
    pid=$(pid_of "$pidfile")
    if alive "$pid" && listening "$PORT" && probe 2>/dev/null; then
      mv "$lab/kkdcp.json.new" "$json"
      log "up in $(since "$T0") s: https://127.0.0.1:$PORT/KdcProxy (pid $pid); $json"
      return 0
    fi
    sleep 0.04
  done
  tail -n 20 "$lab/gunicorn.log" >&2 || true
  cmd_down
  die "gunicorn did not come up on 127.0.0.1:$PORT (log above, $lab/gunicorn.log)"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down; log "down" ;;
  status) cmd_status ;;
  *) die "usage: kkdcp.sh up|down|status" ;;
esac
