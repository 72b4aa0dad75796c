#!/usr/bin/env bash
# OpenLDAP with SASL GSSAPI on 127.0.0.1 for the MIT lab: three slapd processes that differ only in the SASL
# security layer they accept (sasl-secprops is global to a slapd), each with its own config and data under
# ${TSKRB_LAB_DIR:-<repo>/.lab}/ldap. Not the slapd behind MIT.TEST's KDB (ldapi only, under .lab/mit/ldap).
#   none             127.0.0.1:10389  minssf=0 maxssf=0   no security layer
#   integrity        127.0.0.1:10390  minssf=1 maxssf=1   integrity only
#   confidentiality  127.0.0.1:10391  minssf=56           confidentiality only
# Adds ldap/<host>@MIT.TEST (keytab for the three slapds) to the running MIT lab and lets HTTP/web.mit.test
# delegate to it (krbAllowedToDelegateTo on web's KDB entry), without restarting the KDCs.
# Usage: ldap.sh up|down|status. Start the MIT lab first. Writes ${TSKRB_LAB_DIR:-<repo>/.lab}/ldap.json.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
lab_init ldap
mit_json=$lab_root/mit.json
PORT_BASE=${TSKRB_LDAP_PORT:-10389}
# The service host: a name that resolves to 127.0.0.1 on any machine without editing /etc/hosts. libldap
# canonicalises a loopback peer to the machine's own host name, so clients turn that off (ldapwhoami -N,
# LDAPSASL_NOCANON=on) and use the name in the URL.
HOST=${TSKRB_LDAP_HOST:-localhost}
REALM=MIT.TEST
SUFFIX=dc=mit,dc=test
KDB_BASE=dc=mit,dc=test # mit.sh's LDAP_BASE: where the KDB slapd keeps the realm
PEOPLE=ou=people,$SUFFIX
FRONT=HTTP/web.mit.test@MIT.TEST
SESSION_ENCTYPES="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 arcfour-hmac"
# id  port-offset  sasl-secprops  layers offered (RFC 4752 bit names)
SERVERS=("none 0 minssf=0,maxssf=0 none" "integrity 1 minssf=1,maxssf=1 integrity"
  "confidentiality 2 minssf=56 confidentiality")

port_of() { echo $((PORT_BASE + $2)); } # id offset
jstr() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

# True if PID runs slapd with our config file and has not exited (a zombie counts as stopped).
alive() { # pid conf
  running "${1:-}" || return 1
  [ "$(cat "/proc/$1/comm" 2>/dev/null || true)" = slapd ] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "-f $2 "
}

stop_server() { # id
  local d=$lab/$1 pid
  pid=$(pid_of "$d/slapd.pid")
  rm -f "$d/slapd.pid"
  stop_pid "$pid" 150 alive "$d/slapd.conf"
}

cmd_down() {
  local s
  for s in "${SERVERS[@]}"; do stop_server "${s%% *}"; done
  rm -f "$json"
}

cmd_status() {
  local s id off pid rc=0
  for s in "${SERVERS[@]}"; do
    read -r id off _ <<<"$s"
    pid=$(pid_of "$lab/$id/slapd.pid")
    if alive "$pid" "$lab/$id/slapd.conf"; then echo "slapd $id ldap://127.0.0.1:$(port_of "$id" "$off") up pid $pid"
    else echo "slapd $id down"; rc=1; fi
  done
  [ -f "$json" ] && echo "json $json" || rc=1
  return $rc
}

# ---- the MIT lab: principal, keytab, delegation ACL -----------------------------------------------------------

# mit.json value by a Python expression over j.
mit() { /usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$mit_json" "$1"; }

kadm() {
  KRB5_CONFIG=$KRB5_CONF KRB5_KDC_PROFILE=$KDC_CONF kadmin.local -r "$REALM" -q "$*" >>"$lab/kadmin.out" 2>&1 ||
    { tail -5 "$lab/kadmin.out" >&2; die "kadmin.local $*: failed"; }
}

# The KDB slapd's root DN and password, from the service password stash that mit.sh wrote for the KDC
# ("<dn>#{HEX}<hex of the password>").
kdb_ldap() {
  local line; line=$(head -1 "$MIT_LAB/ldap/service.stash")
  KDB_DN=${line%%#*}
  KDB_PW=$(/usr/bin/python3 -c 'import sys; print(bytes.fromhex(sys.argv[1]).decode())' "${line#*\{HEX\}}")
  local p=$MIT_LAB/ldap/ldapi; KDB_URL="ldapi://${p//\//%2F}"
}

provision_principal() {
  SVC=ldap/$HOST
  SVC_PW=$(gen_pw)
  # Fresh key every time: delete what an earlier run made (the KDC reads the KDB per request; no restart).
  if KRB5_CONFIG=$KRB5_CONF KRB5_KDC_PROFILE=$KDC_CONF kadmin.local -r "$REALM" -q "getprinc $SVC" 2>/dev/null |
    grep -q '^Principal:'; then
    kadm delprinc -force "$SVC"
  fi
  kadm addprinc -pw "$SVC_PW" "$SVC"
  # Every enctype may be the session key, rc4 included (MIT issues rc4 session keys only to a target that lists
  # it here): tests bind with each, so Cyrus SASL meets RFC 4121 and RFC 4757 tokens.
  kadm setstr "$SVC" session_enctypes "${SESSION_ENCTYPES// /,}"
  kadm ktadd -norandkey -k "$lab/ldap.keytab" "$SVC"
}

# krbAllowedToDelegateTo on web's entry, as mit.sh does for its targets; kept if already there.
allow_delegation() {
  local dn target=$SVC@$REALM
  kdb_ldap
  dn=$(ldapsearch -LLL -o ldif-wrap=no -x -H "$KDB_URL" -D "$KDB_DN" -w "$KDB_PW" -b "$KDB_BASE" \
    "(krbPrincipalName=$FRONT)" dn | sed -n 's/^dn: //p')
  [ -n "$dn" ] || die "no KDB entry for $FRONT"
  if ldapsearch -LLL -o ldif-wrap=no -x -H "$KDB_URL" -D "$KDB_DN" -w "$KDB_PW" -b "$dn" -s base \
    krbAllowedToDelegateTo | grep -qixF "krbAllowedToDelegateTo: $target"; then
    return 0
  fi
  ldapmodify -x -H "$KDB_URL" -D "$KDB_DN" -w "$KDB_PW" >/dev/null <<EOF || die "ldapmodify $FRONT failed"
dn: $dn
changetype: modify
add: krbAllowedToDelegateTo
krbAllowedToDelegateTo: $target
EOF
}

# ---- the slapds -----------------------------------------------------------------------------------------------

write_conf() { # id secprops
  local d=$lab/$1
  mkdir -p "$d/data"
  cat >"$d/slapd.conf" <<EOF
# tskrb lab: slapd with SASL GSSAPI (generated by scripts/lab/ldap.sh)
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile $d/slapd.pid
argsfile $d/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
loglevel stats
# Cyrus SASL acquires the acceptor credential for ldap@<sasl-host> from KRB5_KTNAME.
sasl-host $HOST
sasl-realm $REALM
sasl-secprops noanonymous,noplain,$2
# Cyrus hands slapd "uid=<user>,cn=<realm>,cn=gssapi,cn=auth"; the realm part is left out for sasl-realm.
authz-regexp "^uid=([^,@/]+)(,cn=mit\\.test)?,cn=gssapi,cn=auth\$" "uid=\$1,$PEOPLE"
database mdb
maxsize 16777216
suffix "$SUFFIX"
rootdn "cn=admin,$SUFFIX"
rootpw $ROOT_PW
directory $d/data
access to * by users read by * none
EOF
}

start_server() { # id port
  local d=$lab/$1 i
  KRB5_CONFIG=$KRB5_CONF KRB5_KTNAME=FILE:$lab/ldap.keytab KRB5RCACHEDIR=$lab/rcache \
    slapd -f "$d/slapd.conf" -h "ldap://127.0.0.1:$2/" -d stats </dev/null >"$d/slapd.log" 2>&1 &
  # slapd -d stays in the foreground (so its log goes to our file); its PID file names the process we started.
  for i in $(seq 200); do
    listening "$2" && [ -s "$d/slapd.pid" ] && break
    [ "$i" = 200 ] && { tail -20 "$d/slapd.log" >&2; die "slapd $1 is not listening on 127.0.0.1:$2 after 5 s"; }
    sleep 0.025
  done
  ldapadd -x -H "ldap://127.0.0.1:$2" -D "cn=admin,$SUFFIX" -w "$ROOT_PW" >/dev/null <<EOF || die "ldapadd $1 failed"
dn: $SUFFIX
objectClass: dcObject
objectClass: organization
dc: mit
o: tskrb LDAP lab

dn: $PEOPLE
objectClass: organizationalUnit
ou: people

dn: uid=alice,$PEOPLE
objectClass: inetOrgPerson
uid: alice
cn: Alice
sn: Alice
EOF
}

# kinit alice and ldapwhoami with MIT's and Cyrus' own libraries against each slapd: proves the server side.
probe() {
  local s id off cc=$lab/probe.ccache out
  printf '%s\n' "$(mit 'j["principals"]["alice"]["password"]')" |
    KRB5_CONFIG=$KRB5_CONF KRB5CCNAME=FILE:$cc kinit alice >/dev/null 2>"$lab/probe.err" ||
    { cat "$lab/probe.err" >&2; die "kinit alice failed"; }
  for s in "${SERVERS[@]}"; do
    read -r id off _ <<<"$s"
    out=$(KRB5_CONFIG=$KRB5_CONF KRB5CCNAME=FILE:$cc ldapwhoami -N -Q -Y GSSAPI \
      -H "ldap://$HOST:$(port_of "$id" "$off")" 2>>"$lab/probe.err") ||
      { cat "$lab/probe.err" >&2; tail -20 "$lab/$id/slapd.log" >&2; die "ldapwhoami -Y GSSAPI against $id failed"; }
    [ "$out" = "dn:uid=alice,$PEOPLE" ] || die "ldapwhoami against $id: expected dn:uid=alice,$PEOPLE, got $out"
  done
  rm -f "$cc" "$lab/probe.err"
}

write_json() {
  local s id off props layer sep='' tmp=$json.tmp
  {
    printf '{\n  "kind": "ldap",\n  "schemaVersion": 1,\n  "createdAt": %s,\n' "$(jstr "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    printf '  "upSeconds": %s,\n' "$(since "$T0")"
    printf '  "labDir": %s,\n  "realm": "%s",\n  "krb5Conf": %s,\n' "$(jstr "$lab")" "$REALM" "$(jstr "$KRB5_CONF")"
    # The MIT lab this was added to: mit.sh up makes a new KDB without ldap/<host>, and tests compare the two.
    printf '  "mitCreatedAt": %s,\n' "$(jstr "$(mit 'j["createdAt"]')")"
    printf '  "host": %s,\n  "address": "127.0.0.1",\n' "$(jstr "$HOST")"
    printf '  "service": { "name": %s, "realm": "%s", "principal": %s, "hostService": %s, "password": %s, "keytab": %s, "kvno": 1, "sessionEnctypes": [18, 17, 20, 19, 23] },\n' \
      "$(jstr "$SVC")" "$REALM" "$(jstr "$SVC@$REALM")" "$(jstr "ldap@$HOST")" "$(jstr "$SVC_PW")" "$(jstr "$lab/ldap.keytab")"
    printf '  "delegation": { "service": "%s", "front": "web", "allowedTo": %s },\n' "$FRONT" "$(jstr "$SVC@$REALM")"
    printf '  "suffix": "%s",\n' "$SUFFIX"
    printf '  "users": { "alice": { "principal": "alice@%s", "dn": "uid=alice,%s", "authzId": "dn:uid=alice,%s" } },\n' \
      "$REALM" "$PEOPLE" "$PEOPLE"
    printf '  "authzRegexp": [%s],\n' "$(jstr "^uid=([^,@/]+)(,cn=mit\\.test)?,cn=gssapi,cn=auth\$ -> uid=\$1,$PEOPLE")"
    printf '  "env": { "KRB5_CONFIG": %s, "LDAPSASL_NOCANON": "on" },\n' "$(jstr "$KRB5_CONF")"
    printf '  "tools": { "slapd": %s, "ldapwhoami": %s },\n' "$(jstr "$(command -v slapd)")" "$(jstr "$(command -v ldapwhoami)")"
    printf '  "servers": {'
    for s in "${SERVERS[@]}"; do
      read -r id off props layer <<<"$s"
      printf '%s\n    "%s": { "url": "ldap://%s:%s", "host": "127.0.0.1", "port": %s, "saslSecprops": %s, "layers": ["%s"], "conf": %s, "log": %s, "pidFile": %s }' \
        "$sep" "$id" "$HOST" "$(port_of "$id" "$off")" "$(port_of "$id" "$off")" "$(jstr "noanonymous,noplain,$props")" "$layer" \
        "$(jstr "$lab/$id/slapd.conf")" "$(jstr "$lab/$id/slapd.log")" "$(jstr "$lab/$id/slapd.pid")"
      sep=,
    done
    printf '\n  }\n}\n'
  } >"$tmp"
  mv "$tmp" "$json"
}

cmd_up() {
  local s id off props
  T0=$(date +%s.%N)
  for b in slapd ldapadd ldapwhoami ldapmodify kadmin.local kinit; do
    command -v "$b" >/dev/null || die "$b not found: run scripts/lab/install-packages.sh"
  done
  [ -n "$(find /usr/lib -path '*/sasl2/libgssapiv2.so*' -print -quit)" ] ||
    die "Cyrus SASL GSSAPI plugin missing: run scripts/lab/install-packages.sh (libsasl2-modules-gssapi-mit)"
  [ -f "$mit_json" ] || die "no $mit_json: start the MIT lab first (mit.sh up)"
  MIT_LAB=$(mit 'j["labDir"]')
  KRB5_CONF=$(mit 'j["krb5Conf"]')
  KDC_CONF=$(mit 'j["realms"]["MIT.TEST"]["kdcConf"]')
  cmd_down
  for s in "${SERVERS[@]}"; do
    read -r id off _ <<<"$s"
    listening "$(port_of "$id" "$off")" && die "port $(port_of "$id" "$off") is taken (set TSKRB_LDAP_PORT)"
  done
  trap 'rc=$?; if [ $rc != 0 ]; then cmd_down; echo "ldap.sh: up failed; logs are under $lab" >&2; fi' EXIT
  case $lab in */ldap) rm -rf "$lab" ;; *) die "refusing to wipe $lab" ;; esac
  umask 077
  mkdir -p "$lab/rcache"
  ROOT_PW=$(gen_pw)
  provision_principal
  allow_delegation
  for s in "${SERVERS[@]}"; do
    read -r id off props _ <<<"$s"
    write_conf "$id" "$props"
    start_server "$id" "$(port_of "$id" "$off")"
  done
  probe
  write_json
  trap - EXIT
  log "up in $(since "$T0") s: $SVC@$REALM, ldap://$HOST:$PORT_BASE-$((PORT_BASE + 2)) (none, integrity, confidentiality); $json"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down; log "down" ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
