#!/usr/bin/env bash
# MIT krb5 lab on 127.0.0.1: three realms served by three krb5kdc processes, all state in one directory.
#   MIT.TEST    127.0.0.1:88    LDAP KDB on a private slapd (ldapi only): S4U, constrained delegation, PKINIT, rc4
#   OTHER.TEST  127.0.0.1:10188 db2 KDB, two-way cross-realm trust with MIT.TEST
#   FAST.TEST   127.0.0.1:10288 db2 KDB, no encrypted timestamp module: password pre-auth only inside FAST; PKINIT
# Usage: mit.sh up|down|status. Needs root (port 88). Writes ${TSKRB_LAB_DIR:-<repo>/.lab}/mit.json; see README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
lab_init mit
MIT_PORT=88
OTHER_PORT=${TSKRB_MIT_OTHER_PORT:-10188}
FAST_PORT=${TSKRB_MIT_FAST_PORT:-10288}
REALMS=(MIT.TEST OTHER.TEST FAST.TEST)
ENCTYPES="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 arcfour-hmac"
LDAP_BASE=dc=mit,dc=test
LDAP_ROOT=cn=admin,$LDAP_BASE

port_of() { case $1 in MIT.TEST) echo "$MIT_PORT" ;; OTHER.TEST) echo "$OTHER_PORT" ;; FAST.TEST) echo "$FAST_PORT" ;; esac; }
rdir() { echo "$lab/$1"; }
ldapi_url() { local p=$lab/ldap/ldapi; echo "ldapi://${p//\//%2F}"; }

# True if PID runs program COMM and has not exited.
alive() { # pid comm
  running "${1:-}" && [ "$(cat "/proc/$1/comm" 2>/dev/null || true)" = "$2" ]
}

# Stops one process by its PID file, only if that PID still runs the expected program.
stop_pidfile() {
  local file=$1 comm=$2 pid
  [ -f "$file" ] || return 0
  pid=$(pid_of "$file")
  rm -f "$file"
  stop_pid "$pid" 100 alive "$comm"
}

cmd_down() {
  local r
  for r in "${REALMS[@]}"; do stop_pidfile "$lab/$r/krb5kdc.pid" krb5kdc; done
  stop_pidfile "$lab/ldap/slapd.pid" slapd
  rm -f "$json"
}

cmd_status() {
  local r pid state rc=0
  for r in "${REALMS[@]}"; do
    pid=$(pid_of "$lab/$r/krb5kdc.pid")
    state=down
    if alive "$pid" krb5kdc; then state="up pid $pid"; else rc=1; fi
    echo "$r krb5kdc 127.0.0.1:$(port_of "$r") $state"
  done
  pid=$(pid_of "$lab/ldap/slapd.pid")
  if alive "$pid" slapd; then echo "slapd $(ldapi_url) up pid $pid"; else echo "slapd down"; rc=1; fi
  [ -f "$json" ] && echo "json $json" || rc=1
  return $rc
}

# shellcheck source=mit/conf.sh
. "$here/mit/conf.sh"
# shellcheck source=mit/json.sh
. "$here/mit/json.sh"

# ---- lab CA and PKINIT KDC certificates ---------------------------------------------------------------------

make_ca() {
  mkdir -p "$lab/ca"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/O=tskrb lab/CN=tskrb MIT lab CA" \
    -keyout "$lab/ca/ca.key" -out "$lab/ca/ca.pem" 2>/dev/null || die "openssl: CA failed"
}

make_kdc_cert() {
  local realm=$1 d; d=$(rdir "$realm")
  openssl req -new -newkey rsa:2048 -nodes -subj "/O=tskrb lab/CN=$realm KDC" \
    -keyout "$d/kdc.key" -out "$d/kdc.csr" 2>/dev/null || die "openssl: $realm KDC key failed"
  REALM=$realm openssl x509 -req -sha256 -days 3650 -in "$d/kdc.csr" -CA "$lab/ca/ca.pem" -CAkey "$lab/ca/ca.key" \
    -set_serial "0x$(openssl rand -hex 8)" -extfile "$here/mit/pkinit-kdc.cnf" -extensions kdc_cert \
    -out "$d/kdc.pem" 2>/dev/null || die "openssl: $realm KDC certificate failed"
  rm -f "$d/kdc.csr"
}

# ---- private slapd for the LDAP KDB ---------------------------------------------------------------------------

start_slapd() {
  local d=$lab/ldap i
  mkdir -p "$d/data"
  zcat /usr/share/doc/krb5-kdc-ldap/kerberos.schema.gz >"$d/kerberos.schema"
  cat >"$d/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
include $d/kerberos.schema
pidfile $d/slapd.pid
argsfile $d/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
loglevel none
database mdb
maxsize 67108864
suffix "$LDAP_BASE"
rootdn "$LDAP_ROOT"
rootpw $LDAP_PW
directory $d/data
index objectClass eq
index krbPrincipalName eq,pres,sub
EOF
  slapd -f "$d/slapd.conf" -h "$(ldapi_url)" 2>"$d/slapd.err" || { cat "$d/slapd.err" >&2; die "slapd failed to start"; }
  for i in $(seq 100); do
    ldapwhoami -x -H "$(ldapi_url)" -D "$LDAP_ROOT" -w "$LDAP_PW" >/dev/null 2>&1 && break
    [ "$i" = 100 ] && { cat "$d/slapd.err" >&2; die "slapd did not answer on $(ldapi_url)"; }
    sleep 0.05
  done
  ldapadd -x -H "$(ldapi_url)" -D "$LDAP_ROOT" -w "$LDAP_PW" >/dev/null <<EOF
dn: $LDAP_BASE
objectClass: dcObject
objectClass: organization
dc: mit
o: tskrb MIT lab
EOF
}

db2_dbmodule() {
  printf '    db_library = db2\n    database_name = %s/principal\n' "$(rdir "$1")"
}

ldap_dbmodule() {
  cat <<EOF
    db_library = kldap
    ldap_servers = $(ldapi_url)
    ldap_kerberos_container_dn = cn=krbContainer,$LDAP_BASE
    ldap_kdc_dn = $LDAP_ROOT
    ldap_kadmind_dn = $LDAP_ROOT
    ldap_service_password_file = $lab/ldap/service.stash
    ldap_conns_per_server = 4
EOF
}

# ---- KDB and principals ---------------------------------------------------------------------------------------

# Runs one kadmin.local query for a realm (script mode: non-zero exit when the query fails).
kadm() {
  local realm=$1; shift
  KRB5_KDC_PROFILE=$(rdir "$realm")/kdc.conf kadmin.local -r "$realm" "$@" >>"$(rdir "$realm")/kadmin.out" 2>&1 ||
    { tail -5 "$(rdir "$realm")/kadmin.out" >&2; die "kadmin.local -r $realm $*: failed"; }
}

# Principal plan, filled by plan_princ before anything is created: id -> name, realm, password, keytab, flags.
declare -A P_NAME P_REALM P_PW P_KT P_FLAGS TRUST_PW
P_IDS=()
plan_princ() { # id realm name keytab(yes|no) [addprinc flags...]
  local id=$1 realm=$2 name=$3 kt=$4; shift 4
  P_IDS+=("$id"); P_NAME[$id]=$name; P_REALM[$id]=$realm; P_PW[$id]=$(gen_pw); P_FLAGS[$id]="$*"; P_KT[$id]=
  [ "$kt" = yes ] && P_KT[$id]=$lab/keytabs/$id.keytab
  return 0
}

plan_principals() {
  # Users require pre-auth; services do not: MIT refuses a TGS request for a requires_preauth service when the
  # presented ticket lacks the pre-authent flag, which S4U2Self evidence never has ("NO PREAUTH").
  plan_princ alice MIT.TEST alice yes +requires_preauth
  plan_princ bob MIT.TEST bob yes +requires_preauth
  plan_princ rc4user MIT.TEST rc4user yes +requires_preauth
  plan_princ web MIT.TEST HTTP/web.mit.test yes +ok_to_auth_as_delegate
  plan_princ noproto MIT.TEST HTTP/noproto.mit.test yes
  plan_princ cifs MIT.TEST cifs/file.mit.test yes
  plan_princ api MIT.TEST HTTP/api.mit.test yes
  plan_princ ldapOther MIT.TEST ldap/other.mit.test yes
  # GSS-API acceptors for MIT's gss-server/gss-client (krb5-gss-samples), one per enctype: the only long-term key
  # and the only session_enctypes entry (set in provision_realm) are that enctype, so the ticket and the context key
  # both use it. Back ends of web's constrained delegation.
  plan_princ gssAes256 MIT.TEST gss/aes256.mit.test yes -e aes256-cts-hmac-sha1-96:normal
  plan_princ gssAesSha2 MIT.TEST gss/aes-sha2.mit.test yes -e aes256-cts-hmac-sha384-192:normal
  plan_princ gssRc4 MIT.TEST gss/rc4.mit.test yes -e arcfour-hmac:normal
  plan_princ carol OTHER.TEST carol yes +requires_preauth
  plan_princ svcOther OTHER.TEST HTTP/svc.other.test yes
  plan_princ fastuser FAST.TEST fastuser yes +requires_preauth
  # Logs in without pre-auth: in FAST.TEST password pre-auth itself needs armor, and this is the armor source.
  plan_princ armor FAST.TEST host/armor.fast.test yes -requires_preauth
  # Two-way trust: each cross-realm krbtgt is created in both KDBs with one password, so same keys and kvno.
  TRUST_PW[krbtgt/OTHER.TEST@MIT.TEST]=$(gen_pw)
  TRUST_PW[krbtgt/MIT.TEST@OTHER.TEST]=$(gen_pw)
}

# Creates a realm's KDB and its planned principals and keytabs. Runs in a background job per realm.
provision_realm() {
  local realm=$1 d id name; d=$(rdir "$realm")
  case $realm in
    MIT.TEST)
      printf '%s\n%s\n' "$LDAP_PW" "$LDAP_PW" |
        KRB5_KDC_PROFILE=$d/kdc.conf kdb5_ldap_util -D "$LDAP_ROOT" -w "$LDAP_PW" -H "$(ldapi_url)" \
          stashsrvpw -f "$lab/ldap/service.stash" "$LDAP_ROOT" >/dev/null 2>&1 || die "kdb5_ldap_util stashsrvpw failed"
      KRB5_KDC_PROFILE=$d/kdc.conf kdb5_ldap_util -D "$LDAP_ROOT" -w "$LDAP_PW" -H "$(ldapi_url)" \
        create -subtrees "$LDAP_BASE" -r "$realm" -s -P "$(gen_pw)" >"$d/kadmin.out" 2>&1 ||
        { cat "$d/kadmin.out" >&2; die "kdb5_ldap_util create $realm failed"; } ;;
    *)
      KRB5_KDC_PROFILE=$d/kdc.conf kdb5_util -r "$realm" create -s -P "$(gen_pw)" >"$d/kadmin.out" 2>&1 ||
        { cat "$d/kadmin.out" >&2; die "kdb5_util create $realm failed"; } ;;
  esac
  for id in "${P_IDS[@]}"; do
    [ "${P_REALM[$id]}" = "$realm" ] || continue
    # shellcheck disable=SC2086 # the flags are separate words
    kadm "$realm" addprinc -pw "${P_PW[$id]}" ${P_FLAGS[$id]} "${P_NAME[$id]}"
    [ -z "${P_KT[$id]}" ] || kadm "$realm" ktadd -norandkey -k "${P_KT[$id]}" "${P_NAME[$id]}"
  done
  for name in "${!TRUST_PW[@]}"; do
    case $name in *"$realm"*) kadm "$realm" addprinc -pw "${TRUST_PW[$name]}" "$name" ;; esac
  done
  case $realm in
    MIT.TEST)
      kadm "$realm" setstr rc4user session_enctypes aes256-cts-hmac-sha1-96,aes128-cts-hmac-sha1-96,arcfour-hmac
      kadm "$realm" addprinc -randkey +requires_preauth WELLKNOWN/ANONYMOUS
      allow_delegation HTTP/web.mit.test@MIT.TEST cifs/file.mit.test@MIT.TEST
      allow_delegation HTTP/web.mit.test@MIT.TEST HTTP/api.mit.test@MIT.TEST
      allow_delegation HTTP/noproto.mit.test@MIT.TEST cifs/file.mit.test@MIT.TEST
      gss_services ;;
    FAST.TEST)
      kadm "$realm" addprinc -randkey +requires_preauth WELLKNOWN/ANONYMOUS ;;
  esac
}

# Constrained delegation ACL: krbAllowedToDelegateTo on the front service's LDAP entry.
allow_delegation() {
  local front=$1 target=$2 dn
  dn=$(ldapsearch -LLL -o ldif-wrap=no -x -H "$(ldapi_url)" -D "$LDAP_ROOT" -w "$LDAP_PW" -b "$LDAP_BASE" \
    "(krbPrincipalName=$front)" dn | sed -n 's/^dn: //p')
  [ -n "$dn" ] || die "no LDAP entry for $front"
  ldapmodify -x -H "$(ldapi_url)" -D "$LDAP_ROOT" -w "$LDAP_PW" >/dev/null <<EOF || die "ldapmodify $front failed"
dn: $dn
changetype: modify
add: krbAllowedToDelegateTo
krbAllowedToDelegateTo: $target
EOF
}

# The GSS acceptors: session key enctype forced by session_enctypes (rc4 also needs allow_rc4 in krb5.conf), and
# web may delegate to each (S4U2Proxy to a GSS acceptor).
GSS_SERVICES=("gssAes256 aes256-cts-hmac-sha1-96" "gssAesSha2 aes256-cts-hmac-sha384-192" "gssRc4 arcfour-hmac")
gss_services() {
  local s id
  for s in "${GSS_SERVICES[@]}"; do
    id=${s%% *}
    kadm MIT.TEST setstr "${P_NAME[$id]}" session_enctypes "${s#* }"
    allow_delegation HTTP/web.mit.test@MIT.TEST "${P_NAME[$id]}@MIT.TEST"
  done
}

make_certs() {
  local a b
  make_ca
  make_kdc_cert MIT.TEST & a=$!
  make_kdc_cert FAST.TEST & b=$!
  wait_all "KDC certificates" "$a" "$b"
}

# Waits for background jobs by PID; fails naming WHAT if any failed.
wait_all() { # what pid...
  local what=$1 pid rc=0; shift
  for pid in "$@"; do wait "$pid" || rc=1; done
  [ $rc = 0 ] || die "$what failed (see above)"
}

# ---- KDC processes --------------------------------------------------------------------------------------------

port_free() {
  local port; port=$(port_of "$1")
  if listening "$port" t || listening "$port" u; then
    die "$1: port $port is already in use by: $(ss -Hlntup "sport = :$port" | head -2)"
  fi
}

start_kdc() {
  local realm=$1 d; d=$(rdir "$realm")
  KRB5_KDC_PROFILE=$d/kdc.conf krb5kdc -r "$realm" -P "$d/krb5kdc.pid" 2>>"$d/kdc.log" ||
    { tail -20 "$d/kdc.log" >&2; die "krb5kdc $realm failed to start"; }
}

wait_kdc() {
  local realm=$1 d port i; d=$(rdir "$realm"); port=$(port_of "$realm")
  for i in $(seq 200); do
    listening "$port" t && listening "$port" u && [ -s "$d/krb5kdc.pid" ] && return 0
    sleep 0.025
  done
  echo "---- $d/kdc.log (tail) ----" >&2; tail -20 "$d/kdc.log" >&2
  die "krb5kdc $realm is not listening on 127.0.0.1:$port (udp and tcp) after 5 s"
}

cmd_up() {
  local r certs jobs_; T0=$(date +%s.%N)
  for b in krb5kdc kadmin.local kdb5_util kdb5_ldap_util slapd ldapadd openssl ss gss-server gss-client; do
    command -v "$b" >/dev/null || die "$b not found: run scripts/lab/install-packages.sh"
  done
  [ -n "$(find /usr/lib -path '*/krb5/plugins/preauth/pkinit.so' -print -quit)" ] || die "krb5-pkinit not installed"
  [ -f /usr/share/doc/krb5-kdc-ldap/kerberos.schema.gz ] || die "krb5-kdc-ldap not installed"
  cmd_down
  for r in "${REALMS[@]}"; do port_free "$r"; done
  # On any failure stop what was started; the directory stays for its logs.
  trap 'rc=$?; if [ $rc != 0 ]; then cmd_down; echo "mit.sh: up failed; logs are under $lab" >&2; fi' EXIT
  case $lab in */mit) rm -rf "$lab" ;; *) die "refusing to wipe $lab" ;; esac
  mkdir -p "$lab/keytabs" "$lab/ldap"
  for r in "${REALMS[@]}"; do mkdir -p "$(rdir "$r")"; done
  umask 077
  export KRB5_CONFIG=$lab/krb5.conf
  LDAP_PW=$(gen_pw)
  write_krb5_conf
  write_kdc_conf MIT.TEST "$(pkinit_lines MIT.TEST)" "$(ldap_dbmodule)"
  write_kdc_conf OTHER.TEST "" "$(db2_dbmodule OTHER.TEST)"
  # FAST only, for the whole realm: this KDC loads no encrypted timestamp module, so the only password pre-auth
  # left is encrypted challenge, which exists only inside FAST. (MIT has no per-principal switch, and its
  # disable_encrypted_timestamp is a client-side krb5.conf option.)
  write_kdc_conf FAST.TEST "$(pkinit_lines FAST.TEST)" "$(db2_dbmodule FAST.TEST)" "
[plugins]
  kdcpreauth = {
    disable = encrypted_timestamp
  }"
  plan_principals
  make_certs & certs=$!
  start_slapd
  jobs_=()
  for r in "${REALMS[@]}"; do provision_realm "$r" & jobs_+=($!); done
  wait_all "provisioning" "${jobs_[@]}"
  wait_all "certificates" "$certs"
  for r in "${REALMS[@]}"; do start_kdc "$r"; done
  for r in "${REALMS[@]}"; do wait_kdc "$r"; done
  write_json
  trap - EXIT
  cat >"$lab/env.sh" <<EOF
# source me: MIT client tools against the lab
export KRB5_CONFIG=$lab/krb5.conf
EOF
  log "up in $(since "$T0") s: MIT.TEST 127.0.0.1:$MIT_PORT (ldap), OTHER.TEST 127.0.0.1:$OTHER_PORT, FAST.TEST 127.0.0.1:$FAST_PORT (FAST only); $json"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down; log "down" ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
