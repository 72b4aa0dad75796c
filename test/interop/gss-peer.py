#!/usr/bin/python3
"""MIT krb5's GSS-API (Debian python3-gssapi over libgssapi-krb5) as a peer of tskrb, for the two token directions
MIT's sample programs never exercise: gss-server verifies no MIC and gss-client unwraps no Wrap token.

It speaks the sample protocol of gss-server/gss-client (test/interop/gss-sample-protocol.ts: a flags byte, a 4-byte
big-endian length, the token) with one extension after each message: the client sends MIC (its own MIC over the
message), which the server verifies and answers with DATA|WRAPPED|ENCRYPTED, a sealed Wrap of b"reply: " + message.

  gss-peer.py accept PORT              one connection on 127.0.0.1:PORT; keytab from KRB5_KTNAME
  gss-peer.py initiate PORT SERVICE MESSAGE [FLAGS]   SERVICE as gss@host; ccache from KRB5CCNAME;
                                       FLAGS: comma-separated deleg,seq,nomutual

Channel bindings: GSS_PEER_CB_HEX in the environment is the application data of the bindings both modes pass
(RFC 2744 3.11; no addresses), as a TLS channel binding would be.

Prints one JSON object per line to stdout (events: listening, accepted, established, unwrapped, mic, reply, done)
and exits 0; on a failure prints {"event": "error", "where": ..., "message": ...} and exits 1.
"""
import json
import os
import socket
import struct
import sys

import gssapi

NOOP, CONTEXT, DATA, MIC, CONTEXT_NEXT, WRAPPED, ENCRYPTED, SEND_MIC = 1, 2, 4, 8, 16, 32, 64, 128


def emit(**event):
    print(json.dumps(event), flush=True)


def recv_exact(s, n):
    out = b""
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise EOFError("peer closed the connection")
        out += chunk
    return out


def recv_token(s):
    flags = recv_exact(s, 1)[0]
    length = struct.unpack(">I", (b"\0" + recv_exact(s, 3)) if flags == 0 else recv_exact(s, 4))[0]
    return flags, recv_exact(s, length)


def send_token(s, flags, token=b""):
    s.sendall((bytes([flags]) if flags else b"") + struct.pack(">I", len(token)) + token)


def step(where, fn):
    try:
        return fn()
    except Exception as e:  # GSSError and protocol errors alike: report where, then fail
        emit(event="error", where=where, message=str(e))
        sys.exit(1)


def channel_bindings():
    data = os.environ.get("GSS_PEER_CB_HEX")
    return gssapi.raw.ChannelBindings(application_data=bytes.fromhex(data)) if data else None


def flag_names(flags):
    return sorted(f.name for f in flags)


def accept(port):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(1)
    listener.settimeout(30)  # a test that never connects must not leave this process behind
    emit(event="listening", port=listener.getsockname()[1])
    conn, _ = step("accept", listener.accept)
    conn.settimeout(30)
    listener.close()
    ctx = gssapi.SecurityContext(creds=gssapi.Credentials(usage="accept"), usage="accept",
                                 channel_bindings=channel_bindings())
    flags, _ = step("noop", lambda: recv_token(conn))
    if not flags & CONTEXT_NEXT:
        step("noop", lambda: (_ for _ in ()).throw(ValueError("client did not ask for a context")))
    # python-gssapi keeps a failure for the next attribute read when the step had a token to send (a KRB-ERROR
    # for the initiator): send it, then `complete` raises.
    while not step("gss_accept_sec_context", lambda: ctx.complete):
        _, token = step("context token", lambda: recv_token(conn))
        out = step("gss_accept_sec_context", lambda: ctx.step(token))
        if out:
            send_token(conn, CONTEXT, out)
    emit(event="accepted", client=str(ctx.initiator_name), flags=flag_names(ctx.actual_flags))
    last = b""
    while True:
        flags, token = step("message token", lambda: recv_token(conn))
        if flags & NOOP:
            break
        if flags & WRAPPED:
            res = step("gss_unwrap", lambda: ctx.unwrap(token))
            last = res.message
            emit(event="unwrapped", message=last.decode(), conf=bool(res.encrypted))
            if flags & SEND_MIC:
                send_token(conn, MIC, step("gss_get_mic", lambda: ctx.get_signature(last)))
            else:
                send_token(conn, NOOP)
        elif flags & MIC:
            step("gss_verify_mic", lambda: ctx.verify_signature(last, token))
            emit(event="mic", verified=True)
            wrapped = step("gss_wrap", lambda: ctx.wrap(b"reply: " + last, True))
            send_token(conn, DATA | WRAPPED | ENCRYPTED, wrapped.message)
        else:
            send_token(conn, NOOP)
    conn.close()
    emit(event="done")


def initiate(port, service, message, options):
    want = [gssapi.RequirementFlag.replay_detection, gssapi.RequirementFlag.confidentiality,
            gssapi.RequirementFlag.integrity]
    if "nomutual" not in options:
        want.append(gssapi.RequirementFlag.mutual_authentication)
    if "seq" in options:
        want.append(gssapi.RequirementFlag.out_of_sequence_detection)
    if "deleg" in options:
        want.append(gssapi.RequirementFlag.delegate_to_peer)
    name = gssapi.Name(service, gssapi.NameType.hostbased_service)
    ctx = gssapi.SecurityContext(name=name, usage="initiate", mech=gssapi.MechType.kerberos, flags=want,
                                 channel_bindings=channel_bindings())
    conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    send_token(conn, NOOP | CONTEXT_NEXT)
    token = step("gss_init_sec_context", lambda: ctx.step())
    while True:
        if token:
            send_token(conn, CONTEXT, token)
        if step("gss_init_sec_context", lambda: ctx.complete):
            break
        _, reply = step("context token", lambda: recv_token(conn))
        token = step("gss_init_sec_context", lambda: ctx.step(reply))
    emit(event="established", target=str(ctx.target_name), flags=flag_names(ctx.actual_flags))
    msg = message.encode()
    send_token(conn, DATA | WRAPPED | ENCRYPTED | SEND_MIC, step("gss_wrap", lambda: ctx.wrap(msg, True).message))
    _, mic = step("MIC token", lambda: recv_token(conn))
    step("gss_verify_mic", lambda: ctx.verify_signature(msg, mic))
    emit(event="mic", verified=True)
    send_token(conn, MIC, step("gss_get_mic", lambda: ctx.get_signature(msg)))
    flags, wrapped = step("reply token", lambda: recv_token(conn))
    res = step("gss_unwrap", lambda: ctx.unwrap(wrapped))
    emit(event="reply", message=res.message.decode(), conf=bool(res.encrypted), flags=flags)
    send_token(conn, NOOP)
    conn.close()
    emit(event="done")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "accept":
        accept(int(sys.argv[2]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "initiate":
        initiate(int(sys.argv[2]), sys.argv[3], sys.argv[4], set((sys.argv[5] if len(sys.argv) > 5 else "").split(",")))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
