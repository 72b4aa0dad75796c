# Sourced by scripts/lab/mit.sh: writes mit.json (schema in scripts/lab/README.md) from the principal plan.

jstr() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
# "+requires_preauth -x +ok_to_auth_as_delegate" -> "requires_preauth", "ok_to_auth_as_delegate"
json_flags() { local f out=''; for f in $1; do [[ $f == +* ]] && out+="${out:+, }\"${f#+}\""; done; printf '%s' "$out"; }
jstr_or_null() { if [ -n "$1" ]; then jstr "$1"; else printf null; fi; }

write_json() {
  local tmp=$json.tmp id r sep d
  {
    printf '{\n  "kind": "mit",\n  "schemaVersion": 1,\n  "createdAt": %s,\n' "$(jstr "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    printf '  "upSeconds": %s,\n' "$(since "$T0")"
    printf '  "labDir": %s,\n  "krb5Conf": %s,\n  "caCert": %s,\n' "$(jstr "$lab")" "$(jstr "$lab/krb5.conf")" "$(jstr "$lab/ca/ca.pem")"
    # The default realm at top level, as in samba.json, so that single-realm tests read either file alike.
    printf '  "realm": "MIT.TEST",\n  "kdc": { "host": "127.0.0.1", "port": %s },\n' "$MIT_PORT"
    printf '  "kdcs": ["127.0.0.1:%s"],\n  "transports": ["udp", "tcp"],\n' "$MIT_PORT"
    printf '  "env": { "KRB5_CONFIG": %s },\n' "$(jstr "$lab/krb5.conf")"
    printf '  "tools": {'
    sep=''
    for t in kinit kvno klist kdestroy kadmin.local ktutil krb5kdc; do
      printf '%s\n    %s: %s' "$sep" "$(jstr "$t")" "$(jstr "$(command -v "$t")")"; sep=,
    done
    printf '\n  },\n  "enctypes": [18, 17, 20, 19, 23],\n  "realms": {'
    sep=''
    for r in "${REALMS[@]}"; do
      d=$(rdir "$r")
      printf '%s\n    "%s": {\n      "name": "%s",\n      "kdc": { "host": "127.0.0.1", "port": %s },\n' "$sep" "$r" "$r" "$(port_of "$r")"
      printf '      "kdcs": ["127.0.0.1:%s"],\n      "transports": ["udp", "tcp"],\n' "$(port_of "$r")"
      printf '      "backend": "%s",\n' "$([ "$r" = MIT.TEST ] && echo ldap || echo db2)"
      printf '      "fastOnly": %s,\n' "$([ "$r" = FAST.TEST ] && echo true || echo false)"
      printf '      "pkinit": %s,\n' "$([ "$r" = OTHER.TEST ] && echo false || echo true)"
      printf '      "krb5Conf": %s,\n      "kdcConf": %s,\n      "kdcLog": %s,\n      "pidFile": %s,\n' \
        "$(jstr "$lab/krb5.conf")" "$(jstr "$d/kdc.conf")" "$(jstr "$d/kdc.log")" "$(jstr "$d/krb5kdc.pid")"
      printf '      "adminEnv": { "KRB5_CONFIG": %s, "KRB5_KDC_PROFILE": %s }\n    }' "$(jstr "$lab/krb5.conf")" "$(jstr "$d/kdc.conf")"
      sep=,
    done
    printf '\n  },\n  "principals": {'
    sep=''
    for id in "${P_IDS[@]}"; do
      printf '%s\n    "%s": { "name": %s, "realm": "%s", "principal": %s, "password": %s, "keytab": %s, "kvno": 1, "flags": [%s] }' \
        "$sep" "$id" "$(jstr "${P_NAME[$id]}")" "${P_REALM[$id]}" "$(jstr "${P_NAME[$id]}@${P_REALM[$id]}")" \
        "$(jstr "${P_PW[$id]}")" "$(jstr_or_null "${P_KT[$id]}")" "$(json_flags "${P_FLAGS[$id]}")"
      sep=,
    done
    cat <<EOF

  },
  "delegation": [
    { "service": "HTTP/web.mit.test@MIT.TEST", "protocolTransition": true, "allowedTo": ["cifs/file.mit.test@MIT.TEST", "HTTP/api.mit.test@MIT.TEST", "gss/aes256.mit.test@MIT.TEST", "gss/aes-sha2.mit.test@MIT.TEST", "gss/rc4.mit.test@MIT.TEST"] },
    { "service": "HTTP/noproto.mit.test@MIT.TEST", "protocolTransition": false, "allowedTo": ["cifs/file.mit.test@MIT.TEST"] }
  ],
  "s4u": { "realm": "MIT.TEST", "user": "alice", "front": "web", "frontNoProtocolTransition": "noproto", "backend": "cifs", "notAllowed": "ldapOther" },
  "rc4": { "realm": "MIT.TEST", "principal": "rc4user", "sessionEnctypes": [18, 17, 23] },
  "crossRealm": {
    "realms": ["MIT.TEST", "OTHER.TEST"],
    "trust": [
      { "principal": "krbtgt/OTHER.TEST@MIT.TEST", "password": $(jstr "${TRUST_PW[krbtgt/OTHER.TEST@MIT.TEST]}") },
      { "principal": "krbtgt/MIT.TEST@OTHER.TEST", "password": $(jstr "${TRUST_PW[krbtgt/MIT.TEST@OTHER.TEST]}") }
    ],
    "user": "carol",
    "service": "svcOther"
  },
  "gss": {
    "realm": "MIT.TEST", "user": "alice", "front": "web",
    "tools": { "gss-server": $(jstr "$(command -v gss-server)"), "gss-client": $(jstr "$(command -v gss-client)") },
    "services": [
      { "id": "gssAes256", "enctype": 18, "hostService": "gss@aes256.mit.test" },
      { "id": "gssAesSha2", "enctype": 20, "hostService": "gss@aes-sha2.mit.test" },
      { "id": "gssRc4", "enctype": 23, "hostService": "gss@rc4.mit.test" }
    ]
  },
  "fast": { "realm": "FAST.TEST", "user": "fastuser", "armor": "armor", "anonymousArmor": true, "preauth": "encrypted-challenge" },
  "pkinit": {
    "caCert": $(jstr "$lab/ca/ca.pem"),
    "realms": ["MIT.TEST", "FAST.TEST"],
    "anonymousPrincipal": "WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS"
  }
}
EOF
  } >"$tmp"
  mv "$tmp" "$json"
}

