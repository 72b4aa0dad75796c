/** SPNEGO tokens (RFC 4178 4.2, MS-SPNG 2.2.1): known answers from Windows captures, round trips, hostile input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Asn1DecodeError, ProtocolError } from '../../src/errors.js';
import { GssMechOid, GssTokenId } from '../../src/gss/constants.js';
import { decodeKrb5Token } from '../../src/gss/framing.js';
import { spnegoServerInit } from '../../src/gss/spnego-acceptor.js';
import {
  ContextFlag,
  decodeMechTypeList,
  decodeNegotiationToken,
  decodeNegTokenResp,
  decodeSpnegoInitialToken,
  decodeSpnegoToken,
  encodeMechTypeList,
  encodeNegotiationToken,
  encodeSpnegoInitialToken,
  NEG_HINTS_IGNORE_NAME,
  type NegotiationToken,
  NegState,
} from '../../src/gss/spnego-codec.js';
import { parseNegotiateHeader } from '../../src/gss/spnego-http.js';
import { NEGOEX_OID, NTLMSSP_OID } from '../../src/gss/spnego-mic.js';
import { bytesEqual, fromHex, toHex, utf8 } from '../../src/util/bytes.js';
import {
  b64,
  checkOf,
  HAVE_KERBEROS_NET,
  kerberosNetFile,
  kerberosNetString,
  mitSpnegoSessions,
  mitToken,
} from './spnego-fixtures.js';

const WINDOWS_MECHS = [GssMechOid.MS_KRB5, GssMechOid.KRB5, NTLMSSP_OID];

function typed(e: unknown): boolean {
  return e instanceof Asn1DecodeError || e instanceof ProtocolError;
}

describe.skipIf(!HAVE_KERBEROS_NET)('Windows NegTokenInit captures (Kerberos.NET test data)', () => {
  it.each(['aes128', 'aes256', 'rc4'])(
    '%s-spnego-data: mechTypes, the krb5 AP-REQ as mechToken, exact re-encoding',
    (e) => {
      const bytes = kerberosNetFile(`${e}-spnego-data`);
      const { framed, token } = decodeSpnegoToken(bytes);
      expect(framed).toBe(true);
      if (!('negTokenInit' in token)) throw new Error('not a NegTokenInit');
      const init = token.negTokenInit;
      expect(init.mechTypes).toEqual(WINDOWS_MECHS);
      expect(init.reqFlags).toBeUndefined();
      expect(init.mechListMIC).toBeUndefined();
      // The mechToken is the bare Kerberos token Kerberos.NET stores beside it; Windows frames it with the IETF OID.
      expect(toHex(init.mechToken!)).toBe(toHex(kerberosNetFile(`${e}-kerberos-data`)));
      expect(decodeKrb5Token(init.mechToken!, [GssTokenId.AP_REQ]).mechOid).toBe(GssMechOid.KRB5);
      expect(toHex(encodeSpnegoInitialToken(token))).toBe(toHex(bytes));
    },
  );

  it.each([
    ['RC4TicketClaims', [GssMechOid.MS_KRB5, GssMechOid.KRB5, NEGOEX_OID, NTLMSSP_OID]],
    ['TicketContainingDelegation', [GssMechOid.MS_KRB5, GssMechOid.KRB5, NEGOEX_OID, NTLMSSP_OID]],
    ['ApReqWithoutPacLogonInfo', [GssMechOid.KRB5]],
  ])('%s: mechTypes %j and exact re-encoding', (name, mechs) => {
    const bytes = b64(kerberosNetString(name));
    const token = decodeSpnegoInitialToken(bytes);
    if (!('negTokenInit' in token)) throw new Error('not a NegTokenInit');
    expect(token.negTokenInit.mechTypes).toEqual(mechs);
    expect(decodeKrb5Token(token.negTokenInit.mechToken!, [GssTokenId.AP_REQ]).tokId).toBe(GssTokenId.AP_REQ);
    expect(bytesEqual(encodeSpnegoInitialToken(token), bytes)).toBe(true);
    // mechListMIC input: the DER of exactly this list, as it appears in the capture.
    const der = encodeMechTypeList(mechs);
    expect(toHex(bytes)).toContain(toHex(der));
  });

  it('RC4Header: a whole `Negotiate <base64>` header line from Windows', () => {
    const token = parseNegotiateHeader(kerberosNetString('RC4Header'))!;
    const t = decodeSpnegoToken(token).token;
    expect('negTokenInit' in t && t.negTokenInit.mechTypes[0]).toBe(GssMechOid.MS_KRB5);
  });

  it('mutated captures decode or fail typed, never crash', () => {
    const base = kerberosNetFile('aes256-spnego-data').subarray(0, 200); // header region: the interesting lengths
    const full = kerberosNetFile('aes256-spnego-data');
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), fc.boolean(), (at, v, cut) => {
        const m = full.slice();
        m[at] = v;
        const input = cut ? m.subarray(0, at + 1) : m;
        try {
          decodeSpnegoToken(input);
        } catch (e) {
          expect(typed(e)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const MIT = mitSpnegoSessions();

describe.skipIf(MIT.length === 0)('MIT krb5 1.20 SPNEGO tokens (test/vectors/gss-mit-spnego.json)', () => {
  it.each(MIT.map((s) => [s.name, s] as const))(
    '%s: NegTokenInit [KRB5] + AP-REQ; NegTokenResp accept-completed + AP-REP',
    (_, s) => {
      const initBytes = mitToken(s, 'spnego-neg-token-init');
      const init = decodeSpnegoToken(initBytes);
      expect(init.framed).toBe(true);
      if (!('negTokenInit' in init.token)) throw new Error('not a NegTokenInit');
      expect(Object.keys(init.token.negTokenInit)).toEqual(['mechTypes', 'mechToken']);
      expect(init.token.negTokenInit.mechTypes).toEqual([GssMechOid.KRB5]);
      expect(toHex(encodeSpnegoInitialToken(init.token))).toBe(toHex(initBytes));

      const respBytes = mitToken(s, 'spnego-neg-token-resp');
      const resp = decodeNegTokenResp(respBytes, 'acceptor');
      expect(resp.negState).toBe(NegState.ACCEPT_COMPLETED);
      expect(resp.supportedMech).toBe(GssMechOid.KRB5);
      expect(resp.mechListMIC).toBeUndefined();
      expect(decodeKrb5Token(resp.responseToken!, [GssTokenId.AP_REP]).tokId).toBe(GssTokenId.AP_REP);
      expect(toHex(encodeNegotiationToken({ negTokenResp: resp }))).toBe(toHex(respBytes));
    },
  );
});

describe('known answers built from the ASN.1 by hand', () => {
  it('the SMB2 NEGOTIATE blob of Samba and NTLM-only Windows servers: NegTokenInit2 with negHints', () => {
    const hex =
      '6048 0606 2b0601050502 a03e 303c a00e 300c 060a 2b0601040182370202 0a a32a 3028 a026 1b24' +
      toHex(utf8(NEG_HINTS_IGNORE_NAME));
    const bytes = fromHex(hex.replace(/ /g, ''));
    const t = decodeSpnegoInitialToken(bytes);
    expect(t).toEqual({
      negTokenInit2: { mechTypes: [NTLMSSP_OID], negHints: { hintName: NEG_HINTS_IGNORE_NAME } },
    });
    expect(toHex(encodeSpnegoInitialToken(t))).toBe(toHex(bytes));
    expect(toHex(spnegoServerInit([NTLMSSP_OID]))).toBe(toHex(bytes));
    expect(decodeSpnegoInitialToken(spnegoServerInit())).toEqual({
      negTokenInit2: {
        mechTypes: [GssMechOid.MS_KRB5, GssMechOid.KRB5],
        negHints: { hintName: NEG_HINTS_IGNORE_NAME },
      },
    });
  });

  it('NegTokenResp accept-completed with supportedMech and responseToken', () => {
    const hex = 'a11a3018a0030a0100a10b06092a864886f712010202a2040402cafe';
    const t: NegotiationToken = {
      negTokenResp: {
        negState: NegState.ACCEPT_COMPLETED,
        supportedMech: GssMechOid.KRB5,
        responseToken: fromHex('cafe'),
      },
    };
    expect(toHex(encodeNegotiationToken(t))).toBe(hex);
    expect(decodeNegotiationToken(fromHex(hex))).toEqual(t);
  });

  it('NegTokenResp reject, as Windows sends it', () => {
    expect(toHex(encodeNegotiationToken({ negTokenResp: { negState: NegState.REJECT } }))).toBe(
      'a1073005a0030a0102',
    );
  });

  it('MechTypeList of Windows Kerberos: the bytes a mechListMIC covers', () => {
    const der = encodeMechTypeList([GssMechOid.MS_KRB5, GssMechOid.KRB5]);
    expect(toHex(der)).toBe('3016' + '06092a864882f712010202' + '06092a864886f712010202');
    expect(decodeMechTypeList(der)).toEqual([GssMechOid.MS_KRB5, GssMechOid.KRB5]);
  });

  it('reqFlags: the named-bit-list form and the 32-bit form read the same; ours is the named-bit-list form', () => {
    const flags = ContextFlag.mutualFlag | ContextFlag.integFlag;
    const mech = 'a00d300b06092a864886f712010202';
    const minimal = fromHex(`a0173015${mech}a10403020142`); // 7 bits 0100001, one unused bit
    const fixed = fromHex(`a01a3018${mech}a10703050042000000`); // SIZE (32)
    for (const b of [minimal, fixed]) {
      const t = decodeNegotiationToken(b);
      expect('negTokenInit' in t && t.negTokenInit.reqFlags).toBe(flags);
    }
    expect(
      toHex(encodeNegotiationToken({ negTokenInit: { mechTypes: [GssMechOid.KRB5], reqFlags: flags } })),
    ).toBe(toHex(minimal));
    expect(
      toHex(encodeNegotiationToken({ negTokenInit: { mechTypes: [GssMechOid.KRB5], reqFlags: 0 } })),
    ).toContain('a103030100');
  });
});

describe('refusals', () => {
  const resp = (negState: string) => fromHex(`a1073005a0030a01${negState}`);
  it.each([
    ['negState 4', resp('04'), 'negState 4 is not one of 0..3'],
    ['negState as INTEGER', fromHex('a1073005a00302 0100'.replace(/ /g, '')), 'expected ENUMERATED'],
    ['two-octet negState', fromHex('a1083006a0040a020000'), 'negState must be one content octet'],
    ['trailing byte', fromHex('a1073005a0030a010000'), 'trailing'],
    ['unknown CHOICE [2]', fromHex('a2023000'), 'expected [0] negTokenInit'],
    [
      'NegTokenInit without mechTypes but with [3] mechListMIC',
      fromHex('a0063004a3020400'),
      'NegTokenInit without mechTypes',
    ],
    [
      '[3] and [4] mechListMIC both',
      fromHex('a0173015a00b300906072a864886f71201a3020400a4020400'),
      'both [3] mechListMIC and [4]',
    ],
    [
      'ContextFlags of 40 bits',
      fromHex('a0193017a00b300906072a864886f71201a1080306000000000000'),
      'ContextFlags',
    ],
    [
      'ContextFlags with a padding bit set',
      fromHex('a0153013a00b300906072a864886f71201a10403020101'),
      'padding bits',
    ],
    ['indefinite length', fromHex('a180300030000000'), 'indefinite length'],
  ])('%s: Asn1DecodeError', (_, bytes, reason) => {
    expect(() => decodeNegotiationToken(bytes)).toThrow(Asn1DecodeError);
    expect(() => decodeNegotiationToken(bytes)).toThrow(reason);
  });

  it('framed with the krb5 OID instead of SPNEGO: ProtocolError check mech', () => {
    const wrong = fromHex('6014' + '06092a864886f712010202' + 'a1073005a0030a0100');
    expect(checkOf(() => decodeSpnegoInitialToken(wrong))).toBe('mech');
  });

  it('a NegTokenInit where a NegTokenResp belongs: check spnego-token', () => {
    const init = encodeNegotiationToken({ negTokenInit: { mechTypes: [GssMechOid.KRB5] } });
    expect(() => decodeNegTokenResp(init, 'acceptor')).toThrow(
      expect.objectContaining({ check: 'spnego-token' }),
    );
  });

  it('input over maxSize is refused before parsing', () => {
    const big = encodeNegotiationToken({ negTokenResp: { responseToken: new Uint8Array(5000) } });
    expect(() => decodeNegotiationToken(big, { maxSize: 4096 })).toThrow(/exceeds 4096/);
    expect(() =>
      decodeSpnegoInitialToken(encodeSpnegoInitialToken({ negTokenResp: {} }), { maxSize: 4 }),
    ).toThrow(Asn1DecodeError);
  });
});

// --- properties ---------------------------------------------------------------------------------------------------

const oid = fc
  .tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 39 }),
    fc.array(fc.nat(), { maxLength: 6 }),
  )
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));
const bytes = fc.uint8Array({ maxLength: 40 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const clean = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const negTokenInit = fc
  .record({
    mechTypes: fc.array(oid, { maxLength: 4 }),
    reqFlags: opt(fc.nat({ max: 0xffffffff })),
    mechToken: opt(bytes),
    mechListMIC: opt(bytes),
  })
  .map((v) => ({ negTokenInit: clean(v) }));
const negTokenInit2 = fc
  .record({
    mechTypes: opt(fc.array(oid, { maxLength: 4 })),
    reqFlags: opt(fc.nat({ max: 0xffffffff })),
    mechToken: opt(bytes),
    negHints: fc.record({ hintName: opt(fc.string()), hintAddress: opt(bytes) }).map(clean),
    mechListMIC: opt(bytes),
  })
  .map((v) => ({ negTokenInit2: clean(v) }));
const negTokenResp = fc
  .record({
    negState: opt(fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>),
    supportedMech: opt(oid),
    responseToken: opt(bytes),
    mechListMIC: opt(bytes),
  })
  .map((v) => ({ negTokenResp: clean(v) }));
const token = fc.oneof(negTokenInit, negTokenInit2, negTokenResp) as fc.Arbitrary<NegotiationToken>;

describe('properties', () => {
  it('encode then decode is the identity, framed and bare', () => {
    fc.assert(
      fc.property(token, (t) => {
        expect(decodeNegotiationToken(encodeNegotiationToken(t))).toEqual(t);
        expect(decodeSpnegoToken(encodeSpnegoInitialToken(t))).toEqual({ framed: true, token: t });
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes never crash a decoder: a value or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (b, asResp) => {
        // Half the inputs start like a token, to get past the first tag.
        const input = asResp && b.length > 0 ? Uint8Array.of(0xa1, b.length, ...b) : b;
        for (const decode of [decodeSpnegoToken, decodeNegotiationToken, decodeMechTypeList]) {
          try {
            decode(input);
          } catch (e) {
            expect(typed(e)).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mutations of encoded tokens decode to something that re-encodes identically, or fail typed', () => {
    fc.assert(
      fc.property(token, fc.nat(), fc.integer({ min: 0, max: 255 }), (t, at, v) => {
        const b = encodeSpnegoInitialToken(t).slice();
        b[at % b.length] = v;
        let d: ReturnType<typeof decodeSpnegoToken> | undefined;
        try {
          d = decodeSpnegoToken(b);
        } catch (e) {
          expect(typed(e)).toBe(true);
        }
        // reqFlags is read in two forms and written in one; every other field has one encoding.
        const t2 = d?.token;
        if (t2 === undefined || ('negTokenInit' in t2 && t2.negTokenInit.reqFlags !== undefined)) return;
        if ('negTokenInit2' in t2 && t2.negTokenInit2.reqFlags !== undefined) return;
        const again = d!.framed ? encodeSpnegoInitialToken(t2) : encodeNegotiationToken(t2);
        expect(toHex(again)).toBe(toHex(b));
      }),
      { numRuns: 1000 },
    );
  });
});
