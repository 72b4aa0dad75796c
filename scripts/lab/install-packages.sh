#!/usr/bin/env bash
# Installs the Debian packages the lab needs: MIT krb5 (KDC, admin, LDAP backend, PKINIT,
# client tools), a private slapd, Samba AD DC 4.22 from bookworm-backports, tshark, Impacket (interop),
# kdcproxy under gunicorn (KKDCP), krb5-k5tls (MIT tools over https://), Chromium (browser runtime test),
# MIT's GSS-API sample programs (krb5-gss-samples: gss-server, gss-client) and python3-gssapi (GSS interop),
# Apache httpd with mod_auth_gssapi and curl (HTTP Negotiate interop), Cyrus SASL's GSSAPI plugin (SASL GSSAPI binds
# to slapd), redis-server (shared delegation ticket store).
# Idempotent; needs root. Set LAB_SKIP_SAMBA=1 to skip Samba.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" != 0 ]; then echo "install-packages.sh: run as root" >&2; exit 1; fi

# bookworm-backports: same mirror and keyring as the existing bookworm entry.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  src=/etc/apt/sources.list.d/debian.sources
  uri=$(awk '/^URIs:/{print $2; exit}' "$src" 2>/dev/null || true)
  key=$(awk '/^Signed-By:/{print $2; exit}' "$src" 2>/dev/null || true)
  cat > /etc/apt/sources.list.d/bookworm-backports.sources <<SRC
Types: deb
URIs: ${uri:-http://deb.debian.org/debian}
Suites: bookworm-backports
Components: main
Signed-By: ${key:-/usr/share/keyrings/debian-archive-keyring.gpg}
SRC
  updated=0
fi

need=()
for p in krb5-kdc krb5-admin-server krb5-kdc-ldap krb5-pkinit krb5-user slapd ldap-utils openssl tshark \
  python3-impacket python3-kdcproxy gunicorn krb5-k5tls chromium krb5-gss-samples python3-gssapi \
  apache2 libapache2-mod-auth-gssapi curl libsasl2-modules-gssapi-mit redis-server sssd-kcm; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
samba_need=()
if [ "${LAB_SKIP_SAMBA:-0}" != 1 ]; then
  if ! dpkg -s samba-ad-dc >/dev/null 2>&1 || ! samba --version 2>/dev/null | grep -q 'Version 4\.2[2-9]'; then
    samba_need=(samba samba-ad-dc samba-ad-provision samba-dsdb-modules winbind)
  fi
fi
if [ ${#need[@]} -gt 0 ] || [ ${#samba_need[@]} -gt 0 ]; then
  apt-get update -qq
  # Keep the packaged services from starting system-wide instances.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
  [ ${#need[@]} -gt 0 ] && apt-get install -y -qq --no-install-recommends "${need[@]}"
  [ ${#samba_need[@]} -gt 0 ] && apt-get install -y -qq --no-install-recommends -t bookworm-backports "${samba_need[@]}"
  rm -f /usr/sbin/policy-rc.d
fi
echo "lab packages: ok"
