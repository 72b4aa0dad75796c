#!/usr/bin/python3
"""The Samba lab's accounts: create them once per template, refresh passwords and keytabs on every `up`.

  accounts.py create  SMB_CONF                      users, groups, SPNs, enctypes, delegation (samba-tool)
  accounts.py refresh SMB_CONF KEYTAB_DIR OUT_JSON  new random passwords, keytabs, SIDs -> JSON fragment

`create` runs samba-tool's own commands inside this one Python process (one interpreter start instead of
about twenty-five `samba-tool` runs) and edits sam.ldb directly only where samba-tool has no command
(msDS-SupportedEncryptionTypes). Both edit sam.ldb with the KDC stopped. Called by ../samba.sh with
Debian's /usr/bin/python3 (the samba modules live there); the realm comes from SMB_CONF.
"""

import json
import os
import secrets
import string
import sys

import ldb
from samba import enable_net_export_keytab
from samba.auth import system_session
from samba.dcerpc import security
from samba.ndr import ndr_unpack
from samba.net import Net
from samba.netcmd.main import samba_tool
from samba.param import LoadParm
from samba.samdb import SamDB

enable_net_export_keytab()

# msDS-SupportedEncryptionTypes bits (MS-KILE 2.2.7).
ENC_RC4 = 0x4
ENC_AES128 = 0x8
ENC_AES256 = 0x10
ENC_AES = ENC_AES128 | ENC_AES256
# userAccountControl bit set by `samba-tool delegation for-any-protocol ... on` (MS-ADTS 2.2.16).
UF_TRUSTED_TO_AUTH_FOR_DELEGATION = 0x1000000

FILE_SPN = "cifs/file.samba.test"
RBCD_SPN = "cifs/rbcdback.samba.test"

# sAMAccountName -> SPN, msDS-SupportedEncryptionTypes (None: unset), constrained-delegation targets,
# protocol transition, what the account is for.
ACCOUNTS = {
    "alice": dict(spn=None, enc=None, kcd=[], pt=False, role="user (member of labgroup)"),
    "bob": dict(spn=None, enc=None, kcd=[], pt=False, role="user"),
    "websvc": dict(spn="HTTP/web.samba.test", enc=ENC_AES, kcd=[FILE_SPN], pt=True,
                   role="constrained delegation front, protocol transition"),
    "filesvc": dict(spn=FILE_SPN, enc=ENC_AES, kcd=[], pt=False, role="constrained delegation back end"),
    "noprotosvc": dict(spn="HTTP/noproto.samba.test", enc=ENC_AES, kcd=[FILE_SPN], pt=False,
                       role="constrained delegation front, no protocol transition"),
    "rbcdfront": dict(spn="HTTP/rbcdfront.samba.test", enc=ENC_AES, kcd=[], pt=True,
                      role="RBCD front, protocol transition"),
    "rbcdnoproto": dict(spn="HTTP/rbcdnoproto.samba.test", enc=ENC_AES, kcd=[], pt=False,
                        role="RBCD front, no protocol transition"),
    "rbcdback": dict(spn=RBCD_SPN, enc=ENC_AES, kcd=[], pt=False, role="RBCD back end (resource)"),
    "rc4svc": dict(spn="HTTP/rc4.samba.test", enc=ENC_RC4, kcd=[], pt=False,
                   role="service whose tickets are rc4-hmac"),
}
# resource -> fronts granted in its msDS-AllowedToActOnBehalfOfOtherIdentity
RBCD = {"rbcdback": ["rbcdfront", "rbcdnoproto"]}
# global security group -> members
GROUPS = {"labgroup": ["alice"]}


class LabError(Exception):
    """A lab step failed."""


def password(name):
    """A random password that meets AD complexity (3 of 4 classes, account name not inside)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "Lab-" + "".join(secrets.choice(alphabet) for _ in range(20)) + "9z"
        if name.lower() not in pw.lower():
            return pw


def tool(conf, *args):
    """Runs one samba-tool command in this process; raises on failure (never echoes passwords)."""
    rc = samba_tool(*args, "-s", conf)
    if rc not in (None, 0):
        shown = " ".join("***" if a.startswith("Lab-") else a for a in args)
        raise LabError("samba-tool %s failed (%s)" % (shown, rc))


def open_sam(conf):
    lp = LoadParm()
    lp.load(conf)
    return lp, SamDB(url=lp.samdb_url(), session_info=system_session(), lp=lp)


def find(sam, name, attrs):
    res = sam.search(sam.domain_dn(), ldb.SCOPE_SUBTREE, "(sAMAccountName=%s)" % ldb.binary_encode(name), attrs)
    if len(res) != 1:
        raise LabError("account %s: %d matches" % (name, len(res)))
    return res[0]


def sid_of(msg):
    return str(ndr_unpack(security.dom_sid, msg["objectSid"][0]))


def rid_of(sid):
    return int(sid.rsplit("-", 1)[1])


def create(conf):
    for name, a in ACCOUNTS.items():
        tool(conf, "user", "add", name, password(name))
        if a["spn"]:
            tool(conf, "spn", "add", a["spn"], name)
        for target in a["kcd"]:
            tool(conf, "delegation", "add-service", name, target)
        if a["pt"]:
            tool(conf, "delegation", "for-any-protocol", name, "on")
    for group, members in GROUPS.items():
        tool(conf, "group", "add", group)
        tool(conf, "group", "addmembers", group, ",".join(members))
    for back, fronts in RBCD.items():
        for front in fronts:
            tool(conf, "delegation", "add-principal", back, front)
    # Passwords that never expire: a template may be reused for longer than the default 42 days.
    tool(conf, "domain", "passwordsettings", "set", "--max-pwd-age=0")
    _, sam = open_sam(conf)
    for name, a in ACCOUNTS.items():
        if a["enc"] is not None:
            m = ldb.Message(find(sam, name, ["dn"]).dn)
            m["enc"] = ldb.MessageElement(str(a["enc"]), ldb.FLAG_MOD_REPLACE, "msDS-SupportedEncryptionTypes")
            sam.modify(m)


def export_keytab(lp, keytab, principal):
    # Net.export_keytab leaves the SamDB it was given unusable (Samba 4.22 aborts with "Bad talloc
    # magic" on a second call), so each export gets a fresh connection, as samba-tool does.
    _, sam = open_sam(lp.configfile)
    Net(None, lp).export_keytab(samdb=sam, keytab=keytab, principal=principal, only_current_keys=True)


def refresh(conf, kt_dir, out):
    lp, sam = open_sam(conf)
    realm = lp.get("realm").upper()
    pws = {name: password(name) for name in ACCOUNTS}
    for name in ACCOUNTS:
        sam.setpassword("(sAMAccountName=%s)" % ldb.binary_encode(name), pws[name])

    principals = {}
    for name, a in ACCOUNTS.items():
        msg = find(sam, name, ["objectSid", "userAccountControl", "msDS-AllowedToDelegateTo",
                               "msDS-KeyVersionNumber"])
        sid = sid_of(msg)
        uac = int(msg["userAccountControl"][0])
        principals[name] = {
            "name": name,
            "realm": realm,
            "principal": "%s@%s" % (name, realm),
            "password": pws[name],
            "sid": sid,
            "rid": rid_of(sid),
            "kvno": int(msg["msDS-KeyVersionNumber"][0]),
            "role": a["role"],
            "spns": [a["spn"]] if a["spn"] else [],
            "keytab": None,
            "supportedEnctypes": a["enc"],
            "trustedToAuthForDelegation": bool(uac & UF_TRUSTED_TO_AUTH_FOR_DELEGATION),
            "allowedToDelegateTo": sorted(str(v) for v in msg.get("msDS-AllowedToDelegateTo", [])),
        }

    dom_sid = str(sam.get_domain_sid())
    alice_dn = str(find(sam, "alice", ["dn"]).dn)
    groups = [{"name": "Domain Users", "sid": dom_sid + "-513", "rid": 513, "primary": True}]
    group_info = {}
    for group, members in GROUPS.items():
        g = find(sam, group, ["objectSid", "member"])
        gsid = sid_of(g)
        group_info[group] = {"sid": gsid, "rid": rid_of(gsid), "members": members}
        if alice_dn in [str(v) for v in g.get("member", [])]:
            groups.append({"name": group, "sid": gsid, "rid": rid_of(gsid), "primary": False})
    principals["alice"]["primaryGroupSid"] = dom_sid + "-513"
    principals["alice"]["groups"] = groups
    del sam

    for name, a in ACCOUNTS.items():
        if a["spn"]:
            # The account name (what S4U2Self tickets are for) and the SPN (what ordinary and
            # S4U2Proxy tickets are for) in one keytab. Samba exports the SPN entries only in the
            # enctypes of msDS-SupportedEncryptionTypes; the account name gets 18, 17 and 23.
            kt = os.path.join(kt_dir, name + ".keytab")
            export_keytab(lp, kt, name)
            export_keytab(lp, kt, a["spn"])
            principals[name]["keytab"] = kt

    krbtgt = {"principal": "krbtgt/%s@%s" % (realm, realm), "sid": dom_sid + "-502", "keytab": None,
              "error": None}
    try:
        kt = os.path.join(kt_dir, "krbtgt.keytab")
        export_keytab(lp, kt, "krbtgt/" + realm)
        krbtgt["keytab"] = kt
    except Exception as e:  # optional: record why instead of failing the lab
        krbtgt["error"] = str(e)

    doc = {
        "domainSid": dom_sid,
        "principals": principals,
        "groups": group_info,
        "krbtgt": krbtgt,
        "delegation": [
            {"service": n, "principal": principals[n]["principal"], "spn": a["spn"],
             "protocolTransition": a["pt"], "allowedTo": a["kcd"]}
            for n, a in ACCOUNTS.items() if a["kcd"]
        ],
        "rbcd": [
            {"resource": back, "spn": ACCOUNTS[back]["spn"],
             "allowedFrom": [{"service": f, "protocolTransition": ACCOUNTS[f]["pt"]} for f in fronts]}
            for back, fronts in RBCD.items()
        ],
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=2)


def main(argv):
    if len(argv) == 2 and argv[0] == "create":
        create(argv[1])
    elif len(argv) == 4 and argv[0] == "refresh":
        refresh(*argv[1:])
    else:
        raise LabError("usage: accounts.py create SMB_CONF | refresh SMB_CONF KEYTAB_DIR OUT_JSON")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except LabError as e:
        print("accounts.py: %s" % e, file=sys.stderr)
        sys.exit(1)
