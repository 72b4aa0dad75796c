// The acceptor's checks (RFC 4121 4.1, RFC 4120 3.2.3), each refused with its named check.
import { describe, expect, it } from 'vitest';
import {
  type Authenticator,
  decodeApRep,
  decodeEncApRepPart,
  encodeApReq,
  encodeAuthenticator,
  MessageType,
  NameType,
} from '../../src/asn1/index.js';
import { decrypt, encrypt, generateKey, Key, KeyUsage } from '../../src/crypto/index.js';
import { IntegrityError, ProtocolError } from '../../src/errors.js';
import { type AcceptorOptions, acceptSecContext } from '../../src/gss/acceptor.js';
import { encodeGssChecksum } from '../../src/gss/authenticator-checksum.js';
import { channelBindingsHash, tlsServerEndPoint } from '../../src/gss/channel-bindings.js';
import { GSS_CHECKSUM_TYPE, GssFlag, GssTokenId } from '../../src/gss/constants.js';
import type { Krb5Context } from '../../src/gss/context.js';
import { decodeKrb5Token, encodeKrb5Token } from '../../src/gss/framing.js';
import { initSecContext } from '../../src/gss/initiator.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import type { Credential } from '../../src/messages/credential.js';
import { utf8 } from '../../src/util/bytes.js';
import { TEST_NOW, testClock } from '../helpers/clock.js';
import { ALICE, forwardedTgt, issue, KRBTGT_KEY, SERVICE, seededRandom, serviceKey } from './fixtures.js';

const clock = testClock();
const opts = (o: Partial<AcceptorOptions> = {}): AcceptorOptions => ({
  keys: [serviceKey(18)],
  service: SERVICE,
  clock,
  replayCache: new MemoryReplayCache({ clock }),
  ...o,
});

/** A framed AP-REQ with an authenticator the test controls. */
function craft(cred: Credential, a: Partial<Authenticator> & { gssCksum?: Uint8Array } = {}): Uint8Array {
  const { gssCksum, ...over } = a;
  const authenticator: Authenticator = {
    authenticatorVno: 5,
    crealm: cred.client.realm,
    cname: cred.client.name,
    cksum: {
      cksumtype: GSS_CHECKSUM_TYPE,
      checksum: gssCksum ?? encodeGssChecksum({ bnd: new Uint8Array(16), flags: GssFlag.INTEG }),
    },
    cusec: 0,
    ctime: new Date(TEST_NOW),
    seqNumber: 5,
    ...over,
  };
  const apReq = encodeApReq({
    pvno: 5,
    msgType: MessageType.AP_REQ,
    apOptions: {},
    ticket: cred.ticket,
    authenticator: {
      etype: cred.sessionKey.etype,
      cipher: encrypt(cred.sessionKey, KeyUsage.ApReqAuthenticator, encodeAuthenticator(authenticator)),
    },
  });
  return encodeKrb5Token(GssTokenId.AP_REQ, apReq);
}

function refusedWith(f: () => unknown, check: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ProtocolError);
  expect((err as ProtocolError).check).toBe(check);
}

describe('acceptSecContext checks', () => {
  const cred = issue(18);

  it('accepts a well-formed token and returns evidence for S4U2Proxy', () => {
    const r = acceptSecContext(craft(cred), opts());
    expect(r.client).toEqual({ realm: ALICE.realm, name: ALICE.name });
    expect(r.evidence.ticketBytes).toEqual(cred.ticketBytes);
    expect(r.outputToken).toBeUndefined();
    expect(r.flags).toBe(GssFlag.INTEG);
  });

  const cases: [string, () => Uint8Array, Partial<AcceptorOptions>][] = [
    ['skew', () => craft(cred, { ctime: new Date(TEST_NOW - 301_000) }), {}],
    ['skew', () => craft(cred, { ctime: new Date(TEST_NOW + 301_000) }), {}],
    [
      'client-name',
      () => craft(cred, { cname: { nameType: NameType.NT_PRINCIPAL, nameString: ['mallory'] } }),
      {},
    ],
    ['client-name', () => craft(cred, { crealm: 'EVIL.TEST' }), {}],
    [
      'server-name',
      () => craft(cred),
      { service: { realm: SERVICE.realm, name: { nameType: 3, nameString: ['HTTP', 'other'] } } },
    ],
    ['ticket-times', () => craft(issue(18, { endtime: TEST_NOW - 400_000 })), {}],
    ['ticket-times', () => craft(issue(18, { authtime: TEST_NOW + 400_000 })), {}],
    ['ticket-times', () => craft(issue(18, { flags: { invalid: true } })), {}],
    ['checksum', () => craft(cred, { cksum: { cksumtype: 16, checksum: new Uint8Array(12) } }), {}],
    ['checksum', () => craft(cred, { gssCksum: new Uint8Array(23) }), {}],
    [
      'checksum',
      () => {
        const c = encodeGssChecksum({ bnd: new Uint8Array(16), flags: 0 });
        new DataView(c.buffer).setUint32(0, 15, true);
        return craft(cred, { gssCksum: c });
      },
      {},
    ],
    [
      'checksum',
      () => {
        const c = encodeGssChecksum({ bnd: new Uint8Array(16), flags: 0, deleg: new Uint8Array(10) });
        new DataView(c.buffer).setUint16(24, 2, true); // DlgOpt 2
        return craft(cred, { gssCksum: c });
      },
      {},
    ],
    [
      'checksum',
      () => {
        const c = encodeGssChecksum({ bnd: new Uint8Array(16), flags: 0, deleg: new Uint8Array(10) });
        new DataView(c.buffer).setUint16(26, 11, true); // Dlgth past the end
        return craft(cred, { gssCksum: c });
      },
      {},
    ],
    ['checksum', () => craft(cred, { cksum: undefined as never }), {}],
    [
      'channel-bindings',
      () =>
        craft(cred, {
          gssCksum: encodeGssChecksum({ bnd: channelBindingsHash({ applicationData: utf8('a') }), flags: 0 }),
        }),
      { channelBindings: { applicationData: utf8('b') } },
    ],
    ['channel-bindings', () => craft(cred), { requireChannelBindings: true }],
    ['ticket-key', () => craft(cred), { keys: [serviceKey(17)] }],
    [
      'delegation',
      () =>
        craft(cred, {
          gssCksum: encodeGssChecksum({ bnd: new Uint8Array(16), flags: 0, deleg: new Uint8Array(8) }),
        }),
      {},
    ],
  ];
  it.each(cases)('refuses with check %s', (check, token, o) => {
    refusedWith(() => acceptSecContext(token(), opts(o)), check);
  });

  it('accepts a ticket a little outside its times within the skew', () => {
    expect(() => acceptSecContext(craft(issue(18, { endtime: TEST_NOW - 200_000 })), opts())).not.toThrow();
  });

  it('refuses a replayed token with check replay', () => {
    const o = opts();
    const token = craft(cred);
    acceptSecContext(token, o);
    refusedWith(() => acceptSecContext(token, o), 'replay');
  });

  it('does not record refused tokens in the replay cache', () => {
    const cache = new MemoryReplayCache({ clock });
    expect(() =>
      acceptSecContext(craft(cred), opts({ replayCache: cache, requireChannelBindings: true })),
    ).toThrow();
    expect(cache.size).toBe(0);
  });

  it('wrong service key: IntegrityError', () => {
    const wrong = new Key(18, new Uint8Array(32).fill(9));
    expect(() => acceptSecContext(craft(cred), opts({ keys: [wrong] }))).toThrow(IntegrityError);
  });

  it('tampered authenticator: IntegrityError', () => {
    const t = craft(cred);
    t[t.length - 3]! ^= 1;
    expect(() => acceptSecContext(t, opts())).toThrow(IntegrityError);
  });

  it('picks the keytab entry by kvno among keys of one etype', () => {
    const old = {
      principal: { realm: SERVICE.realm, nameType: 3, components: [...SERVICE.name.nameString] },
      timestamp: new Date(0),
      kvno: 2,
      key: { etype: 18, bytes: generateKey(18, seededRandom(3)).bytes },
    };
    const cur = { ...old, kvno: 3, key: { etype: 18, bytes: serviceKey(18).bytes } };
    expect(acceptSecContext(craft(cred), opts({ keys: [old, cur] })).client.name.nameString).toEqual([
      'alice',
    ]);
  });

  it('channel bindings: equal ones accepted, unknown ones ignored, zeros accepted by default', () => {
    const cb = tlsServerEndPoint(utf8('certificate'), 'sha256');
    const init = () =>
      initSecContext({ credential: cred, clock, channelBindings: cb, flags: GssFlag.INTEG }).token;
    expect(() =>
      acceptSecContext(init(), opts({ channelBindings: cb, requireChannelBindings: true })),
    ).not.toThrow();
    expect(() => acceptSecContext(init(), opts())).not.toThrow();
    refusedWith(
      () => acceptSecContext(init(), opts({ channelBindings: tlsServerEndPoint(utf8('other'), 'sha256') })),
      'channel-bindings',
    );
  });

  it('verifies the PAC with the service and KDC keys; a bad KDC key is refused with check pac', () => {
    const withPac = issue(18, { pac: true });
    const r = acceptSecContext(craft(withPac), opts({ kdcKeys: [KRBTGT_KEY] }));
    expect(r.pac?.verification.server.status).toBe('valid');
    expect(r.pac?.verification.kdc.status).toBe('valid');
    refusedWith(
      () => acceptSecContext(craft(withPac), opts({ kdcKeys: [new Key(18, new Uint8Array(32).fill(1))] })),
      'pac',
    );
    expect(acceptSecContext(craft(withPac), opts({ readPac: false })).pac).toBeUndefined();
  });

  it('opens a delegated TGT (KRB-CRED in the session key) and keeps DELEG', () => {
    const tgt = forwardedTgt();
    const { token } = initSecContext({ credential: cred, clock, delegate: { tgt } });
    const r = acceptSecContext(token, opts());
    expect(r.flags & GssFlag.DELEG).toBe(GssFlag.DELEG);
    const d = r.delegated![0]!;
    expect(d.server.name.nameString).toEqual(['krbtgt', 'GSS.TEST']);
    expect(d.sessionKey.bytes).toEqual(tgt.sessionKey.bytes);
    expect(d.ticketBytes).toEqual(tgt.ticketBytes);
    expect(d.flags.forwarded).toBe(true);
  });

  it('opens a delegated KRB-CRED sent in the clear (etype 0), as Windows and Heimdal may', async () => {
    const { exportKirbi } = await import('../../src/creds/index.js');
    const tgt = forwardedTgt();
    const kirbi = exportKirbi([
      {
        client: { realm: tgt.client.realm, nameType: 1, components: ['alice'] },
        server: { realm: tgt.server.realm, nameType: 2, components: ['krbtgt', 'GSS.TEST'] },
        key: { etype: 18, bytes: tgt.sessionKey.bytes },
        authtime: tgt.authtime,
        endtime: tgt.endtime,
        isSkey: false,
        flags: 0x40000000,
        addresses: [],
        authdata: [],
        ticket: tgt.ticketBytes,
        secondTicket: new Uint8Array(0),
      },
    ]);
    const token = craft(cred, {
      gssCksum: encodeGssChecksum({ bnd: new Uint8Array(16), flags: GssFlag.DELEG, deleg: kirbi }),
    });
    expect(acceptSecContext(token, opts()).delegated?.[0]?.sessionKey.bytes).toEqual(tgt.sessionKey.bytes);
  });

  it('a DELEG flag without delegation fields means nothing was delegated', () => {
    const c = encodeGssChecksum({ bnd: new Uint8Array(16), flags: GssFlag.INTEG });
    new DataView(c.buffer).setUint32(20, GssFlag.DELEG | GssFlag.INTEG, true);
    const r = acceptSecContext(craft(cred, { gssCksum: c }), opts());
    expect(r.flags).toBe(GssFlag.INTEG);
    expect(r.delegated).toBeUndefined();
  });
});

describe('AP-REP subkey (RFC 4121 vs RFC 4757 contexts, as MIT)', () => {
  /** A tskrb initiator's token (no enctype negotiation) for a ticket of `etype`, accepted; and the AP-REP subkey. */
  function accept(etype: number, o: Partial<AcceptorOptions> = {}) {
    const cred = issue(etype);
    const init = initSecContext({
      credential: cred,
      clock,
      random: seededRandom(etype),
      etypeNegotiation: false,
    });
    const r = acceptSecContext(init.token, opts({ keys: [serviceKey(etype)], ...o }));
    const apRep = decodeApRep(decodeKrb5Token(r.outputToken!, [GssTokenId.AP_REP]).body);
    const part = decodeEncApRepPart(decrypt(cred.sessionKey, KeyUsage.ApRepEncPart, apRep.encPart.cipher));
    return { sent: r.authenticator.subkey!, repSubkey: part.subkey, context: r.context as Krb5Context };
  }

  it('an rc4 initiator subkey without negotiation is echoed in the AP-REP and stays the context key', () => {
    const { sent, repSubkey, context } = accept(23);
    expect(sent.keytype).toBe(23);
    expect(repSubkey).toEqual(sent);
    expect(context.keys.acceptorSubkey).toBeUndefined();
    expect(context.contextKey.bytes).toEqual(sent.keyvalue);
  });

  it('an aes initiator subkey gets a fresh acceptor subkey, which becomes the context key', () => {
    const { sent, repSubkey, context } = accept(18);
    expect(repSubkey?.keytype).toBe(18);
    expect(repSubkey?.keyvalue).not.toEqual(sent.keyvalue);
    expect(context.contextKey.bytes).toEqual(repSubkey?.keyvalue);
  });

  it.each([18, 23])('acceptorSubkey false: no subkey in the AP-REP (etype %i)', (etype) => {
    expect(accept(etype, { acceptorSubkey: false }).repSubkey).toBeUndefined();
  });
});
