import { describe, expect, it } from 'vitest';
import {
  decodeKrbError,
  encodeEtypeInfo2,
  encodeKrbError,
  encodeKrbFastResponse,
  encodeMethodData,
  encodePaFxFastReply,
  encodeTicket,
  type KdcRep,
  type KrbError,
  type KrbFastResponse,
  PaDataType,
  type Ticket,
} from '../../src/asn1/index.js';
import { checksumTypeOf, encrypt, Key, makeChecksum } from '../../src/crypto/index.js';
import { IntegrityError, ProtocolError } from '../../src/errors.js';
import {
  fastReplyKey,
  openArmoredError,
  openFastResponse,
  strengthenReplyKey,
  unwrapFastError,
  verifyFastFinished,
} from '../../src/fast/reply.js';
import type { KdcError } from '../../src/messages/kdc-error.js';
import { AES_ETYPES, cf2ByHand, testKey } from './spec.js';

const armorKey = testKey(18, 0x61);
const ticket: Ticket = {
  tktVno: 5,
  realm: 'FAST.TEST',
  sname: { nameType: 2, nameString: ['krbtgt', 'FAST.TEST'] },
  encPart: { etype: 18, kvno: 2, cipher: Uint8Array.from({ length: 64 }, (_, i) => i) },
};
const ticketBytes = encodeTicket(ticket);
const rep: KdcRep = {
  pvno: 5,
  msgType: 11,
  crealm: 'FAST.TEST',
  cname: { nameType: 1, nameString: ['fastuser'] },
  ticket,
  encPart: { etype: 18, cipher: new Uint8Array(32) },
} as KdcRep;

function response(over: Partial<KrbFastResponse> = {}): KrbFastResponse {
  const cks = checksumTypeOf(armorKey.etype);
  return {
    padata: [{ padataType: PaDataType.FX_COOKIE, padataValue: Uint8Array.of(9, 9) }],
    strengthenKey: { keytype: 18, keyvalue: new Uint8Array(32).fill(0x5a) },
    finished: {
      timestamp: new Date(Date.UTC(2026, 10, 23)),
      usec: 1,
      crealm: 'FAST.TEST',
      cname: { nameType: 1, nameString: ['fastuser'] },
      ticketChecksum: { cksumtype: cks, checksum: makeChecksum(cks, armorKey, 53, ticketBytes) },
    },
    nonce: 42,
    ...over,
  };
}

function armoredPadata(r: KrbFastResponse, key = armorKey, usage = 52) {
  const cipher = encrypt(key, usage, encodeKrbFastResponse(r));
  return [
    {
      padataType: PaDataType.FX_FAST,
      padataValue: encodePaFxFastReply({ armoredData: { encFastRep: { etype: key.etype, cipher } } }),
    },
  ];
}

describe('PA-FX-FAST-REPLY (RFC 6113 5.4.3)', () => {
  it('opens with the armor key (usage 52) and checks the nonce', () => {
    const r = openFastResponse(armoredPadata(response()), armorKey, 42);
    expect(r.nonce).toBe(42);
    expect(r.padata[0]?.padataType).toBe(PaDataType.FX_COOKIE);
  });

  it.each([
    ['another armor key', () => armoredPadata(response(), testKey(18, 0x62)), IntegrityError],
    ['usage 51 instead of 52', () => armoredPadata(response(), armorKey, 51), IntegrityError],
    ['another nonce', () => armoredPadata(response({ nonce: 43 })), IntegrityError],
    ['no PA-FX-FAST at all', () => [], ProtocolError],
  ] as const)('rejects a reply with %s', (_n, make, cls) => {
    expect(() => openFastResponse(make(), armorKey, 42)).toThrow(cls);
  });

  it('KrbFastFinished: the ticket checksum (usage 53) and the names verify', () => {
    expect(() => verifyFastFinished(response(), rep, ticketBytes, armorKey)).not.toThrow();
  });

  it.each([
    [
      'a modified ticket',
      () => ({ r: response(), bytes: encodeTicket({ ...ticket, realm: 'EVIL.TEST' }), rp: rep }),
    ],
    [
      'a checksum under another key',
      () => ({ r: response(), bytes: ticketBytes, rp: rep, key: testKey(18, 1) }),
    ],
    [
      'a reply naming another client',
      () => ({
        r: response(),
        bytes: ticketBytes,
        rp: { ...rep, cname: { nameType: 1, nameString: ['mallory'] } },
      }),
    ],
    ['no KrbFastFinished', () => ({ r: { padata: [], nonce: 42 }, bytes: ticketBytes, rp: rep })],
  ] as const)('KrbFastFinished: %s is an IntegrityError', (_n, make) => {
    const t = make() as { r: KrbFastResponse; bytes: Uint8Array; rp: KdcRep; key?: Key };
    expect(() => verifyFastFinished(t.r, t.rp, t.bytes, t.key ?? armorKey)).toThrow(IntegrityError);
  });

  it.each(AES_ETYPES)(
    'etype %i: strengthened reply key = KRB-FX-CF2(strengthen, reply, "strengthenkey", "replykey")',
    (etype) => {
      const sk = testKey(etype, 0x70);
      const rk = testKey(etype, 0x71);
      expect(strengthenReplyKey(sk, rk).bytes).toEqual(cf2ByHand(sk, rk, 'strengthenkey', 'replykey').bytes);
    },
  );

  it('fastReplyKey strengthens only when the response has a strengthen-key', () => {
    const rk = testKey(18, 0x71);
    const strengthened = fastReplyKey(response(), rk);
    expect(strengthened.bytes).toEqual(
      cf2ByHand(new Key(18, new Uint8Array(32).fill(0x5a)), rk, 'strengthenkey', 'replykey').bytes,
    );
    const { strengthenKey: _s, ...plain } = response();
    expect(fastReplyKey(plain as KrbFastResponse, rk)).toBe(rk);
  });
});

describe('PA-FX-ERROR (RFC 6113 5.4.4)', () => {
  const base = {
    pvno: 5,
    msgType: 30,
    stime: new Date(Date.UTC(2026, 10, 23)),
    susec: 0,
    realm: 'FAST.TEST',
    sname: { nameType: 2, nameString: ['krbtgt', 'FAST.TEST'] },
  };
  const inner: KrbError = { ...base, errorCode: 24, eText: 'inner' } as KrbError;
  const etypeInfo2 = {
    padataType: PaDataType.ETYPE_INFO2,
    padataValue: encodeEtypeInfo2([{ etype: 18, salt: 'FAST.TESTfastuser' }]),
  };

  it('the inner KRB-ERROR replaces the outer one; the KrbFastResponse padata become its e-data', () => {
    const r = response({
      padata: [{ padataType: PaDataType.FX_ERROR, padataValue: encodeKrbError(inner) }, etypeInfo2],
    });
    const { strengthenKey: _s, finished: _f, ...errResponse } = r;
    const outer = {
      ...base,
      errorCode: 25,
      eData: encodeMethodData(armoredPadata(errResponse as KrbFastResponse)),
    } as KrbError;
    const u = unwrapFastError(decodeKrbError(encodeKrbError(outer)), armorKey, 42);
    expect(u?.error.errorCode).toBe(24);
    expect(u?.error.eText).toBe('inner');
    expect(u?.padata).toEqual([etypeInfo2]);
    expect(u?.error.eData).toEqual(encodeMethodData([etypeInfo2]));
  });

  it('an error without PA-FX-FAST is not armored (undefined)', () => {
    expect(
      unwrapFastError({ ...inner, eData: encodeMethodData([etypeInfo2]) }, armorKey, 42),
    ).toBeUndefined();
    expect(unwrapFastError(inner, armorKey, 42)).toBeUndefined();
    expect(unwrapFastError({ ...inner, eData: Uint8Array.of(4, 0) }, armorKey, 42)).toBeUndefined();
  });

  it('an armored error without PA-FX-ERROR is a ProtocolError; a tampered one an IntegrityError', () => {
    const outer = {
      ...base,
      errorCode: 25,
      eData: encodeMethodData(armoredPadata({ padata: [], nonce: 42 })),
    } as KrbError;
    expect(() => unwrapFastError(outer, armorKey, 42)).toThrow(ProtocolError);
    const pa = armoredPadata({ padata: [], nonce: 42 });
    const v = pa[0]!.padataValue.slice();
    v[v.length - 1]! ^= 1;
    const tampered = { ...outer, eData: encodeMethodData([{ padataType: 136, padataValue: v }]) };
    expect(() => unwrapFastError(tampered, armorKey, 42)).toThrow(IntegrityError);
  });
});

describe('openArmoredError: an armored request accepts only armored errors', () => {
  const plain = {
    pvno: 5,
    msgType: 30,
    stime: new Date(Date.UTC(2026, 10, 23)),
    susec: 0,
    errorCode: 37,
    realm: 'FAST.TEST',
    sname: { nameType: 2, nameString: ['krbtgt', 'FAST.TEST'] },
  } as KrbError;

  it('an unarmored error is a ProtocolError (check fast-error) whose cause is the unauthenticated KdcError', () => {
    let thrown: unknown;
    try {
      openArmoredError(plain, armorKey, 42, 'AS');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect((thrown as ProtocolError).check).toBe('fast-error');
    expect(((thrown as ProtocolError).cause as KdcError).codeName).toBe('KRB_AP_ERR_SKEW');
  });

  it('an armored one opens as unwrapFastError does', () => {
    const inner = { ...plain, errorCode: 24 } as KrbError;
    const padata = armoredPadata({
      padata: [{ padataType: PaDataType.FX_ERROR, padataValue: encodeKrbError(inner) }],
      nonce: 42,
    });
    const u = openArmoredError(
      { ...plain, errorCode: 24, eData: encodeMethodData(padata) },
      armorKey,
      42,
      'AS',
    );
    expect(u.error.errorCode).toBe(24);
  });
});
