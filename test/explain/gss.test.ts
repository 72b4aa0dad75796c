// GSS-API Kerberos tokens in describe and the explain engine: RFC 4121 context and per-message tokens, RFC 4757
// tokens, built with the real mechanism or recorded from MIT's gss-client/gss-server.
import { describe, expect, it } from 'vitest';
import { renderTree } from '../../src/cli/render.js';
import { ProtocolError } from '../../src/errors.js';
import { sniffGss } from '../../src/explain/detect-gss.js';
import { explain } from '../../src/explain/explain.js';
import { type GssExplainOptions, GssSession } from '../../src/explain/gss.js';
import { Keyring } from '../../src/explain/keyring.js';
import { makeApErrorToken } from '../../src/gss/ap-error.js';
import { channelBindingsHash } from '../../src/gss/channel-bindings.js';
import { GssFlag } from '../../src/gss/constants.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { describeText, gssSession, keyArg, mitSessions } from '../cli/gss-fixtures.js';
import { forwardedTgt, REALM, SERVICE } from '../gss/fixtures.js';
import { testClock } from '../helpers/clock.js';

const lines = (...tokens: Uint8Array[]): Uint8Array => utf8(tokens.map(toHex).join('\n'));

describe('describe: an RFC 4121 session, one token a line', () => {
  const s = gssSession(18, { acceptorRrc: 28, acceptorEc: 5 });
  const request = utf8('GET /data from alice');
  const reply = utf8('200 OK for alice');
  const wrapIn = s.initiator.wrap(request);
  const wrapOut = s.acceptor.wrap(reply);
  const micOut = s.acceptor.getMic(request);
  const clearIn = s.initiator.wrap(utf8('integrity only'), { conf: false });
  const input = lines(s.apReq, s.apRep!, wrapIn, wrapOut, micOut, clearIn);

  it('AP-REQ: ticket opened with the service key, authenticator, the 0x8003 checksum spelled out', async () => {
    const r = await describeText(input, '--key', keyArg(s.serviceKey));
    expect(r.code).toBe(0);
    expect(r.out).toContain('input: 6 lines');
    expect(r.out).toContain(
      'GSS-API token: AP-REQ (TOK_ID 01 00)  — RFC 4121 4.1; framed, Kerberos (1.2.840.113554.1.2.2)',
    );
    expect(r.out).toContain(`AP-REQ: ticket HTTP/api.gss.test@${REALM}`);
    expect(r.out).toContain('opened with --key 1 (aes256-cts-hmac-sha1-96), usage 2 (ticket, service key)');
    expect(r.out).toContain(`opened with session key from the ticket of alice@${REALM}, usage 11`);
    expect(r.out).toContain('cksum: GSS-API checksum (0x8003)  — RFC 4121 4.1.1');
    expect(r.out).toContain('Bnd: zeros  — no channel bindings');
    expect(r.out).toContain('Flags: MUTUAL, REPLAY, SEQUENCE, CONF, INTEG (0x3e)');
    expect(r.out).toContain('GSS_C_MUTUAL_FLAG  — mutual authentication: the service answers with an AP-REP');
    expect(r.out).toContain(
      "subkey: [key etype 18, 32 bytes]  — the initiator's subkey: the context key unless",
    );
  });

  it('AP-REP opens with the session key and teaches the acceptor subkey and sequence number', async () => {
    const r = await describeText(input, '--key', keyArg(s.serviceKey));
    expect(r.out).toContain('GSS-API token: AP-REP (TOK_ID 02 00)');
    expect(r.out).toContain(`opened with session key from the ticket of alice@${REALM}, usage 12`);
    expect(r.out).toMatch(
      /EncAPRepPart: .*\n.*ctime.*\n.*cusec.*\n.*subkey: \[key etype 18, 32 bytes\].*\n.*seq-number: \d+/,
    );
  });

  it('Wrap tokens: flags, EC, RRC, SND_SEQ; each opened with the key its AcceptorSubkey flag names', async () => {
    const r = await describeText(input, '--key', keyArg(s.serviceKey));
    expect(r.out).toContain('Flags: Sealed, AcceptorSubkey (0x06)');
    expect(r.out).toContain('Flags: SentByAcceptor, Sealed, AcceptorSubkey (0x07)');
    expect(r.out).toContain('RRC: 28  — right rotation count');
    expect(r.out).toContain('EC: 5  — filler bytes before the encrypted header copy');
    expect(r.out).toContain(
      'message: "GET /data from alice" (20 bytes)  — decrypted with subkey from the AP-REP, usage 24 (Wrap from the initiator)',
    );
    expect(r.out).toContain(
      'message: "200 OK for alice" (16 bytes)  — decrypted with subkey from the AP-REP, usage 22 (Wrap from the acceptor)',
    );
    expect(r.out).toContain(
      'message: "integrity only" (14 bytes)  — checksum verified with subkey from the AP-REP',
    );
    expect(r.out).not.toContain('not opened');
  });

  it('a MIC token is verified over a message an earlier Wrap token carried', async () => {
    const r = await describeText(input, '--key', keyArg(s.serviceKey));
    expect(r.out).toMatch(
      /checksum: verified {2}— over the message of the Wrap token with SND_SEQ \d+, with subkey from the AP-REP, usage 23 \(MIC from the acceptor\)/,
    );
  });

  it('without the service key nothing opens, and says why', async () => {
    const r = await describeText(input);
    expect(r.code).toBe(0);
    expect(r.out).toContain('message: not opened  — no session key or subkey at hand');
    expect(r.out).toContain('checksum: not verified  — no session key or subkey at hand');
  });

  it('a MIC alone: the message it covers is not in the input', async () => {
    const r = await describeText(lines(s.apReq, s.apRep!, micOut), '--key', keyArg(s.serviceKey));
    expect(r.out).toContain('checksum: not verified  — the message it covers is not in the input');
  });

  it('as hex and as base64, one token: the Wrap token is not taken for a v4 ccache (both start 05 04)', async () => {
    const r = await describeText(utf8(toHex(wrapOut)));
    expect(r.out.split('\n')[0]).toBe('input: hex text');
    expect(r.out).toContain('GSS-API token: Wrap (TOK_ID 05 04)  — RFC 4121 4.2.6.2; no framing');
    const b = await describeText(wrapIn);
    expect(b.out).toContain('GSS-API token: Wrap (TOK_ID 05 04)');
  });
});

describe('describe: the checksum fields', () => {
  it('channel bindings: Bnd is the MD5 of the bindings', async () => {
    const bindings = { applicationData: utf8('tls-server-end-point:0123') };
    const s = gssSession(17, { channelBindings: bindings });
    const r = await describeText(s.apReq, '--key', keyArg(s.serviceKey));
    expect(r.out).toContain(`Bnd: ${toHex(channelBindingsHash(bindings))}  — MD5 of the channel bindings`);
  });

  it('delegation: DELEG, and the KRB-CRED in Deleg opened with the session key (usage 14)', async () => {
    const tgt = forwardedTgt();
    const s = gssSession(18, { delegate: { tgt } });
    const r = await describeText(s.apReq, '--key', keyArg(s.serviceKey));
    expect(r.out).toContain('Flags: DELEG, MUTUAL, REPLAY, SEQUENCE, CONF, INTEG (0x3f)');
    expect(r.out).toContain('Deleg: KRB-CRED');
    expect(r.out).toContain(
      `opened with session key from the ticket of alice@${REALM}, usage 14 (KRB-CRED enc-part)`,
    );
    expect(r.out).toContain(`ticket-info: krbtgt/${REALM}@${REALM}`);
    expect(r.out).toContain('forwarded  — this ticket was forwarded');
  });

  it('flags without MUTUAL: no AP-REP is asked for', async () => {
    const s = gssSession(18, { flags: GssFlag.INTEG | GssFlag.CONF });
    expect(s.apRep).toBeUndefined();
    const r = await describeText(s.apReq, '--key', keyArg(s.serviceKey));
    expect(r.out).toContain('Flags: CONF, INTEG (0x30)');
    expect(r.out).toContain('ap-options: none');
  });
});

describe('describe: RFC 4757 tokens of an rc4-hmac context', () => {
  const s = gssSession(23);
  const wrap = s.initiator.wrap(utf8('sealed under rc4'));
  const mic = s.acceptor.getMic(utf8('sealed under rc4'));
  const clear = s.acceptor.wrap(utf8('rc4 integrity only'), { conf: false });

  it('Wrap and MIC: SGN_ALG, SEAL_ALG, the sequence number and who sent it, the MIC verified', async () => {
    const r = await describeText(lines(s.apReq, s.apRep!, wrap, mic, clear), '--key', keyArg(s.serviceKey));
    expect(r.out).toContain('GSS-API token: rc4-hmac Wrap (TOK_ID 02 01)  — RFC 4757 7.3; framed, Kerberos');
    expect(r.out).toContain('SGN_ALG: 0x0011  — HMAC-MD5');
    expect(r.out).toContain('SEAL_ALG: 0x0010  — RC4');
    expect(r.out).toContain('SEAL_ALG: 0xffff  — none');
    expect(r.out).toMatch(/sequence number: \d+ {2}— sent by the initiator/);
    expect(r.out).toMatch(/sequence number: \d+ {2}— sent by the acceptor/);
    // An rc4 (RFC 4757) context keeps the initiator's subkey: the acceptor echoes it in the AP-REP, as MIT does.
    expect(r.out).toContain(
      'message: "sealed under rc4" (16 bytes)  — decrypted with subkey from alice@GSS.TEST\'s authenticator',
    );
    expect(r.out).toContain(
      'message: "rc4 integrity only" (18 bytes)  — checksum verified with subkey from alice@GSS.TEST\'s authenticator',
    );
    expect(r.out).toContain('GSS-API token: rc4-hmac MIC (TOK_ID 01 01)  — RFC 4757 7.2');
    expect(r.out).toMatch(
      /checksum: verified {2}— over the message of the rc4 Wrap token .*sent by the acceptor/,
    );
  });
});

describe('describe: KRB-ERROR tokens', () => {
  it('the acceptor refusal: error name, the AP hint', async () => {
    const token = makeApErrorToken(new ProtocolError('clock skew', { check: 'skew' }), {
      service: SERVICE,
      clock: testClock(),
    });
    const r = await describeText(token);
    expect(r.out).toContain('GSS-API token: KRB-ERROR (TOK_ID 03 00)');
    expect(r.out).toContain('KRB-ERROR: KRB_AP_ERR_SKEW (37)');
    expect(r.out).toContain('hint: the clocks of client and service differ by more than the allowed skew');
  });
});

describe('the explain engine', () => {
  it('recognises a decoded GSS token by its shape, and opens Wrap tokens with the session given in the options', () => {
    const s = gssSession(18);
    const ring = new Keyring();
    ring.add(s.serviceKey.etype, s.serviceKey.bytes, 'the service key');
    const opts: GssExplainOptions = {
      open: (ed, usages, kind) => ring.open(ed, usages, kind),
      gss: new GssSession(() => ring.keys),
    };
    const wrap = s.initiator.wrap(utf8('hello'));
    const text = [s.apReq, s.apRep!, wrap].map((t) => renderTree(explain(sniffGss(t)?.value, opts))).join('');
    expect(text).toContain('GSS-API token: AP-REQ (TOK_ID 01 00)');
    expect(text).toContain('message: "hello" (5 bytes)  — decrypted with subkey from the AP-REP');
  });

  it('without a session, per-message tokens stay closed', () => {
    const s = gssSession(18);
    const text = renderTree(explain(sniffGss(s.initiator.getMic(utf8('m')))?.value));
    expect(text).toContain('GSS-API token: MIC (TOK_ID 04 04)');
    expect(text).toContain('checksum: not verified  — no session key or subkey at hand');
  });

  it('a malformed 0x8003 checksum or token body is shown, not thrown', () => {
    const bad = new Uint8Array([0x04, 0x04, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, ...new Uint8Array(8)]);
    const text = renderTree(explain(sniffGss(bad)?.value));
    expect(text).toContain('SGN_CKSUM: 0 bytes');
  });
});

describe('describe: per-message tokens alone, and --json', () => {
  it('a Wrap token alone opens with the context key given as --key', async () => {
    const s = gssSession(18);
    const wrap = s.acceptor.wrap(utf8('alone'));
    const r = await describeText(wrap, '--key', keyArg(s.credential.sessionKey));
    expect(r.out).toContain('message: not opened  — 1 key(s) tried, none opens it');
    const mit = mitSessions('gss-mit-krb5.json')[0];
    if (mit === undefined) return;
    const wrapHex = mit.tokens.find((t) => t.kind === 'wrap')!.hex;
    const subkey = mit.acceptor.subkey!;
    const m = await describeText(utf8(wrapHex), '--key', `${subkey.etype}:${subkey.hex}`);
    expect(m.out).toContain('message: "sealed by MIT for etype 18" (26 bytes)  — decrypted with --key 1');
  });

  it('--json: the kind, the decoded token and the tree', async () => {
    const s = gssSession(18);
    const r = await describeText(s.apReq, '--json');
    const j = JSON.parse(r.out) as { kind: string; value: { tokId: number }; explain: { label: string } };
    expect(j.kind).toBe('GSS-API token');
    expect(j.value.tokId).toBe(0x0100);
    expect(j.explain.label).toBe('GSS-API token');
  });
});

const MIT_FILES = ['gss-mit-krb5.json', 'gss-mit-spnego.json', 'gss-mit-delegation.json'] as const;
const MIT = MIT_FILES.flatMap((f) => mitSessions(f).map((s) => ({ file: f, ...s })));

describe.skipIf(MIT.length === 0)(
  'MIT gss-client → gss-server sessions (test/vectors/gss-mit-*.json)',
  () => {
    it.each(MIT.map((s) => [`${s.file}: ${s.name}`, s] as const))(
      '%s: every token opens, every MIC verifies',
      async (_, s) => {
        const tokens = s.tokens.filter((t) => t.hex !== '');
        const keys = s.serviceKeys.flatMap((k) => ['--key', `${k.etype}:${k.hex}`]);
        const r = await describeText(utf8(tokens.map((t) => t.hex).join('\n')), ...keys);
        expect(r.code).toBe(0);
        expect(r.out).toContain(`input: ${tokens.length} lines`);
        expect(r.out).not.toMatch(/not opened|not verified|not decoded|not recognised/);
        // Only the delegated TGT stays closed: it is in the krbtgt key, which the service does not hold.
        const closed = r.out.split('\n').filter((l) => l.includes('closed:')).length;
        expect(closed).toBe(r.out.split('\n').filter((l) => l.includes('Deleg: KRB-CRED')).length);
        const mics = tokens.filter((t) => t.kind === 'mic').length;
        expect(r.out.match(/checksum: verified/g)?.length ?? 0).toBe(mics);
      },
    );
  },
);
