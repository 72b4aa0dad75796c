import { describe, expect, it } from 'vitest';
import {
  encodeAsRep,
  encodeEncAsRepPart,
  encodeEncTgsRepPart,
  encodeTgsRep,
  encodeTicket,
  type KdcOptions,
  MessageType,
  NameType,
  type PrincipalName,
} from '../../src/asn1/index.js';
import { encrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { ProtocolError } from '../../src/errors.js';
import type { Principal } from '../../src/messages/principal.js';
import { type KdcReply, parseKdcReply, validateKdcRep } from '../../src/messages/reply.js';
import { fromHex } from '../../src/util/bytes.js';

const REALM = 'EXAMPLE.COM';
const REPLY_KEY = new Key(18, fromHex('0a'.repeat(32)));
const SESSION = fromHex('0b'.repeat(32));
const TGS: PrincipalName = { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', REALM] };
const TGS_OTHER: PrincipalName = { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', 'OTHER.COM'] };
const KPASSWD: PrincipalName = { nameType: NameType.NT_SRV_INST, nameString: ['kadmin', 'changepw'] };
const HTTP: PrincipalName = { nameType: NameType.NT_SRV_HST, nameString: ['HTTP', 'web.example.com'] };
const WEBSVC: PrincipalName = { nameType: NameType.NT_PRINCIPAL, nameString: ['websvc'] };
const ALICE: PrincipalName = { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] };
const ALICE_UPN: PrincipalName = { nameType: NameType.NT_ENTERPRISE, nameString: ['alice@upn.example'] };
const ALICE_UPPER: PrincipalName = { nameType: NameType.NT_PRINCIPAL, nameString: ['ALICE'] };
const NOW = new Date('2026-11-23T12:00:00Z');

/** A reply naming `client` and `server`, encrypted in REPLY_KEY as AS (usage 3) or TGS (usage 9) would be. */
function reply(kind: 'AS' | 'TGS', client: PrincipalName, server: PrincipalName): KdcReply {
  const part = {
    key: { keytype: 18, keyvalue: SESSION },
    lastReq: [],
    nonce: 42,
    flags: {},
    authtime: NOW,
    endtime: new Date(NOW.getTime() + 36_000_000),
    srealm: REALM,
    sname: server,
  };
  const as = kind === 'AS';
  const encPart = as ? encodeEncAsRepPart(part) : encodeEncTgsRepPart(part);
  const usage = as ? KeyUsage.AsRepEncPart : KeyUsage.TgsRepEncPartSubkey;
  const rep = {
    pvno: 5,
    msgType: as ? MessageType.AS_REP : MessageType.TGS_REP,
    crealm: REALM,
    cname: client,
    ticket: { tktVno: 5, realm: REALM, sname: server, encPart: { etype: 18, cipher: new Uint8Array(40) } },
    encPart: { etype: 18, cipher: encrypt(REPLY_KEY, usage, encPart) },
  };
  return as ? parseKdcReply(encodeAsRep(rep), 'AS-REP') : parseKdcReply(encodeTgsRep(rep), 'TGS-REP');
}

function check(
  kind: 'AS' | 'TGS',
  got: { client: PrincipalName; server: PrincipalName },
  asked: { client: PrincipalName; server: PrincipalName },
  options: Partial<KdcOptions>,
  mayChange: boolean,
) {
  const r = reply(kind, got.client, got.server);
  if (r.kind !== 'rep') throw new Error('test reply is not a KDC-REP');
  const p = (name: PrincipalName): Principal => ({ realm: REALM, name });
  return validateKdcRep(r, {
    step: kind,
    replyKey: REPLY_KEY,
    usage: kind === 'AS' ? KeyUsage.AsRepEncPart : KeyUsage.TgsRepEncPartSubkey,
    nonce: 42,
    etypes: [18],
    client: p(asked.client),
    clientMayChange: mayChange,
    server: p(asked.server),
    serverMayChange: mayChange,
    options,
    now: NOW,
  });
}

const canon = { canonicalize: true };

describe('validateKdcRep: canonicalized names (MIT verify_as_reply, AD/Samba service accounts)', () => {
  it.each([
    ['same krbtgt, no canonicalize', TGS, TGS, {}, 'krbtgt/EXAMPLE.COM@EXAMPLE.COM'],
    ['same service', KPASSWD, KPASSWD, canon, 'kadmin/changepw@EXAMPLE.COM'],
    [
      'krbtgt for krbtgt, canonicalize',
      TGS,
      TGS_OTHER,
      canon,
      'krbtgt/OTHER.COM@EXAMPLE.COM (canonicalized from krbtgt/EXAMPLE.COM@EXAMPLE.COM)',
    ],
    [
      'service account name for an SPN, canonicalize (AD, Samba)',
      HTTP,
      WEBSVC,
      canon,
      'websvc@EXAMPLE.COM (canonicalized from HTTP/web.example.com@EXAMPLE.COM)',
    ],
  ] as const)('AS, %s: accepted', (_n, asked, got, options, detail) => {
    const v = check('AS', { client: ALICE, server: got }, { client: ALICE, server: asked }, options, true);
    expect(v.checks.find((c) => c.check === 'sname')?.detail).toBe(detail);
  });

  it.each([
    ['krbtgt for krbtgt without canonicalize', TGS, TGS_OTHER, {}],
    ['a service for krbtgt, canonicalize', TGS, HTTP, canon],
    ['krbtgt for a service, canonicalize', KPASSWD, TGS, canon],
    ['another two-part service for a service, canonicalize', KPASSWD, HTTP, canon],
    ['an account name for an SPN without canonicalize', HTTP, WEBSVC, {}],
  ] as const)('AS, %s: ProtocolError sname with a hint', (_n, asked, got, options) => {
    const run = () =>
      check('AS', { client: ALICE, server: got }, { client: ALICE, server: asked }, options, true);
    expect(run).toThrow(ProtocolError);
    expect(run).toThrow(expect.objectContaining({ check: 'sname', hint: expect.stringMatching(/krbtgt/) }));
  });

  it('TGS: a canonical service name and a referral are still accepted', () => {
    const v = check('TGS', { client: ALICE, server: HTTP }, { client: ALICE, server: KPASSWD }, canon, true);
    expect(v.referral).toBeUndefined();
    const ref = check(
      'TGS',
      { client: ALICE, server: TGS_OTHER },
      { client: ALICE, server: HTTP },
      {},
      false,
    );
    expect(ref.referral).toBe('OTHER.COM');
  });

  it.each([
    ['enterprise name, canonicalize', ALICE_UPN, canon],
    ['enterprise name, no canonicalize', ALICE_UPN, {}],
    ['plain name, canonicalize', ALICE_UPPER, canon],
  ] as const)('a changed client name is accepted (%s) and recorded', (_n, asked, options) => {
    const v = check('AS', { client: ALICE, server: TGS }, { client: asked, server: TGS }, options, true);
    expect(v.checks.find((c) => c.check === 'cname')?.detail).toMatch(
      /^alice@EXAMPLE\.COM \(changed from .+@EXAMPLE\.COM\)$/,
    );
    expect(v.credential.client.name).toEqual(ALICE);
  });

  it('a changed client name is refused without canonicalize or an enterprise name, or when not allowed', () => {
    const run = (options: Partial<KdcOptions>, may: boolean) => () =>
      check('AS', { client: ALICE, server: TGS }, { client: ALICE_UPPER, server: TGS }, options, may);
    expect(run({}, true)).toThrow(expect.objectContaining({ check: 'cname', hint: expect.any(String) }));
    expect(run(canon, false)).toThrow(expect.objectContaining({ check: 'cname' }));
  });

  it('an unchanged client name: the detail is just the name', () => {
    const v = check('AS', { client: ALICE, server: TGS }, { client: ALICE, server: TGS }, canon, true);
    expect(v.checks.find((c) => c.check === 'cname')?.detail).toBe('alice@EXAMPLE.COM');
  });
});

describe('parseKdcReply', () => {
  it.each(['AS', 'TGS'] as const)(
    '%s-REP: keeps the ticket bytes as received, as views of the reply bytes (no copies)',
    (kind) => {
      const r0 = reply(kind, ALICE, TGS);
      if (r0.kind !== 'rep') throw new Error('expected a KDC-REP');
      const bytes = kind === 'AS' ? encodeAsRep(r0.rep) : encodeTgsRep(r0.rep);
      const r = parseKdcReply(bytes, kind === 'AS' ? 'AS-REP' : 'TGS-REP');
      if (r.kind !== 'rep') throw new Error('expected a KDC-REP');
      expect(r.ticketBytes).toEqual(encodeTicket(r.rep.ticket));
      expect(r.ticketBytes.byteOffset - bytes.byteOffset).toBe(indexOf(bytes, r.ticketBytes));
      for (const field of [r.ticketBytes, r.rep.ticket.encPart.cipher, r.rep.encPart.cipher])
        expect(field.buffer).toBe(bytes.buffer);
    },
  );
});

describe('validateKdcRep: check details', () => {
  it('name each check in order with its outcome, seen by spread and JSON (trace sinks)', () => {
    const v = check('AS', { client: ALICE, server: TGS }, { client: ALICE, server: TGS }, canon, true);
    const expected = [
      { check: 'msg-type', detail: String(MessageType.AS_REP) },
      { check: 'decrypt', detail: 'enc-part opened with reply key etype 18, usage 3' },
      { check: 'nonce', detail: '42' },
      { check: 'cname', detail: 'alice@EXAMPLE.COM' },
      { check: 'sname', detail: 'krbtgt/EXAMPLE.COM@EXAMPLE.COM' },
      { check: 'session-key-etype', detail: '18' },
      { check: 'times', detail: `ends ${new Date(NOW.getTime() + 36_000_000).toISOString()}` },
    ];
    expect(v.checks.map((c) => ({ check: c.check, detail: c.detail }))).toEqual(expected);
    expect(v.checks.map((c) => ({ ...c }))).toEqual(expected);
    expect(JSON.parse(JSON.stringify(v.checks))).toEqual(expected);
  });

  it('the session key and the enc-part fields are views of the decrypted plaintext, the key copied by Key', () => {
    const v = check('TGS', { client: ALICE, server: TGS }, { client: ALICE, server: TGS }, {}, false);
    expect(v.encPart.key.keyvalue).toEqual(SESSION);
    expect(v.credential.sessionKey.bytes).toEqual(SESSION);
    // A view: the plaintext's buffer holds the confounder and the whole EncTGSRepPart around the key.
    expect(v.encPart.key.keyvalue.byteOffset).toBeGreaterThan(16);
    expect(v.encPart.key.keyvalue.buffer.byteLength).toBeGreaterThan(100);
    expect(v.credential.sessionKey.bytes.buffer).not.toBe(v.encPart.key.keyvalue.buffer);
  });
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
