/**
 * Apache Kerby's token pre-authentication types: byte-exact vectors (test/vectors/kerby-token.json, derived from
 * Kerby's field tables; its source is named in the file), fast-check round trips, mutation of every byte, truncation,
 * the size bound, and the registry entries (148, 149 shared with PA-REQ-ENC-PA-REP, ad-type 256).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as A from '../../src/asn1/index.js';
import { decodeAdValue, decodePaValue } from '../../src/asn1/registry.js';
import { Asn1DecodeError } from '../../src/errors.js';
import { fromHex, toHex, utf8 } from '../../src/util/bytes.js';
import { flagsOf } from './reference-schema.js';

interface Row {
  name: string;
  type: 'TokenInfo' | 'KrbToken' | 'PaTokenRequest' | 'PaTokenChallenge' | 'AdToken';
  der: string;
}
const file = JSON.parse(readFileSync(new URL('../vectors/kerby-token.json', import.meta.url), 'utf8')) as {
  jwt: string;
  vectors: Row[];
};
const JWT = file.jwt;

type Codec = [decode: (b: Uint8Array, o?: A.DecodeOptions) => unknown, encode: (v: never) => Uint8Array];
const CODECS: Record<Row['type'], Codec> = {
  TokenInfo: [A.decodeTokenInfo, A.encodeTokenInfo],
  KrbToken: [A.decodeKrbToken, A.encodeKrbToken],
  PaTokenRequest: [A.decodePaTokenRequest, A.encodePaTokenRequest],
  PaTokenChallenge: [A.decodePaTokenChallenge, A.encodePaTokenChallenge],
  AdToken: [A.decodeAdToken, A.encodeAdToken],
};
const vectors = file.vectors.map((r) => [r.name, r, fromHex(r.der)] as const);
const vector = (type: Row['type'], i = 0) => fromHex(file.vectors.filter((r) => r.type === type)[i]!.der);

const kerbyTokenInfo: A.TokenInfo = { tokenVendor: 'token-service' };
const jwtToken: A.KrbToken = { tokenFormat: A.TokenFormat.JWT, tokenValue: utf8(JWT) };

describe('Kerby token types: vectors', () => {
  it.each(vectors)('%s: decode then encode gives the same bytes', (_n, row, der) => {
    const [dec, enc] = CODECS[row.type];
    expect(toHex(enc(dec(der) as never))).toBe(row.der);
  });

  it('TokenInfo as Kerby’s client builds it (only tokenVendor) encodes to the vector', () => {
    expect(toHex(A.encodeTokenInfo(kerbyTokenInfo))).toBe(toHex(vector('TokenInfo')));
  });

  it('TokenFlags are a 32-bit BIT STRING with Kerby’s TokenFlag masks (0x40000000 = bit 1, 0x10000000 = bit 3)', () => {
    const v = A.decodeTokenInfo(vector('TokenInfo', 1));
    expect(v.flags).toEqual({
      idTokenRequired: true,
      acTokenRequired: false,
      bearerTokenRequired: true,
      hokTokenRequired: false,
    });
    expect(toHex(vector('TokenInfo', 1))).toContain('a0070305' + '0050000000');
  });

  it('KRB-TOKEN-VALUE: token-format 1 (JWT) and the compact JWT as token-value', () => {
    expect(A.decodeKrbToken(vector('KrbToken'))).toEqual(jwtToken);
    expect(toHex(A.encodeKrbToken(jwtToken))).toBe(toHex(vector('KrbToken')));
  });

  it('PA-TOKEN-REQUEST puts TokenInfo at [0] and the token at [1] (Kerby’s field table, not its ASN.1 comment)', () => {
    const der = A.encodePaTokenRequest({ tokenInfo: kerbyTokenInfo, token: jwtToken });
    expect(toHex(der)).toBe(toHex(vector('PaTokenRequest')));
    // SEQUENCE { [0] { SEQUENCE { [1] UTF8String … } } … }
    expect(toHex(der.subarray(3, 7))).toBe('a0133011');
    expect(A.decodePaTokenRequest(der)).toEqual({ tokenInfo: kerbyTokenInfo, token: jwtToken });
  });

  it('PA-TOKEN-CHALLENGE holds at least one TokenInfo; an empty list is refused both ways', () => {
    expect(A.decodePaTokenChallenge(vector('PaTokenChallenge')).tokenInfos.map((t) => t.tokenVendor)).toEqual(
      ['token-service', 'other-issuer'],
    );
    expect(() => A.encodePaTokenChallenge({ tokenInfos: [] })).toThrow();
    expect(() => A.decodePaTokenChallenge(fromHex('3004a0023000'))).toThrow(Asn1DecodeError);
  });

  it('AD-TOKEN wraps a KRB-TOKEN-VALUE at [0]', () => {
    expect(A.decodeAdToken(vector('AdToken'))).toEqual({ token: jwtToken });
  });

  it('a TokenInfo without tokenVendor, or with a non-UTF-8 vendor, is refused with the field path', () => {
    const e = (() => {
      try {
        A.decodeTokenInfo(fromHex('3000'));
      } catch (x) {
        return x;
      }
    })() as Asn1DecodeError;
    expect(e).toBeInstanceOf(Asn1DecodeError);
    expect(e.path).toMatch(/^TokenInfo/);
    expect(e.message).toMatch(/tokenVendor/);
    expect(() => A.decodeTokenInfo(fromHex('3005a1030c01ff'))).toThrow(/UTF-8/);
  });
});

describe('Kerby token types: registries', () => {
  it('padata 148 is PA-TOKEN-REQUEST, its value the EncryptedData Kerby seals', () => {
    const ed = A.encodeEncryptedData({ etype: 18, cipher: Uint8Array.of(1, 2, 3) });
    const v = decodePaValue(A.KerbyPaDataType.TOKEN_REQUEST, ed, { direction: 'request' });
    expect(v.name).toBe('PA-TOKEN-REQUEST');
    expect(v.value).toEqual({ etype: 18, cipher: Uint8Array.of(1, 2, 3) });
  });

  it('padata 149 is PA-TOKEN-CHALLENGE when it holds one, PA-REQ-ENC-PA-REP (a Checksum) otherwise', () => {
    const challenge = decodePaValue(149, vector('PaTokenChallenge'));
    expect(challenge.name).toBe('PA-TOKEN-CHALLENGE');
    const cksum = A.encodeChecksum({ cksumtype: 16, checksum: new Uint8Array(12).fill(7) });
    expect(decodePaValue(149, cksum).name).toBe('PA-REQ-ENC-PA-REP');
    expect(decodePaValue(149, new Uint8Array(0)).name).toBe('empty');
    expect(() => decodePaValue(149, fromHex('3003a00102'))).toThrow(Asn1DecodeError);
  });

  it('the PaDataType names of 148 and 149 stay IANA’s (PA-PKU2U-NAME, PA-REQ-ENC-PA-REP)', () => {
    expect(A.paDataTypeName(148)).toBe('PA-PKU2U-NAME');
    expect(A.paDataTypeName(149)).toBe('PA-REQ-ENC-PA-REP');
  });

  it('ad-type 256 is AD-TOKEN', () => {
    const v = decodeAdValue(A.AdType.TOKEN, vector('AdToken'));
    expect(v.name).toBe('AD-TOKEN');
    expect(v.value).toEqual({ token: jwtToken });
  });
});

const uint32 = fc.integer({ min: 0, max: 4294967295 });
const tokenFlags = uint32.map((v) => flagsOf(A.TokenFlagBit, v) as A.TokenFlags);
const tokenInfo: fc.Arbitrary<A.TokenInfo> = fc.record(
  { flags: tokenFlags, tokenVendor: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { requiredKeys: ['tokenVendor'] },
);
const krbToken: fc.Arbitrary<A.KrbToken> = fc.record({
  tokenFormat: fc.integer({ min: -2147483648, max: 2147483647 }),
  tokenValue: fc.uint8Array({ maxLength: 300 }),
});

describe('Kerby token types: fast-check round trips', () => {
  it('TokenInfo', () =>
    fc.assert(
      fc.property(tokenInfo, (v) => {
        expect(A.decodeTokenInfo(A.encodeTokenInfo(v))).toEqual(v);
      }),
    ));
  it('KRB-TOKEN-VALUE', () =>
    fc.assert(
      fc.property(krbToken, (v) => {
        expect(A.decodeKrbToken(A.encodeKrbToken(v))).toEqual(v);
      }),
    ));
  it('PA-TOKEN-REQUEST', () =>
    fc.assert(
      fc.property(fc.record({ tokenInfo, token: krbToken }), (v) => {
        expect(A.decodePaTokenRequest(A.encodePaTokenRequest(v))).toEqual(v);
      }),
    ));
  it('PA-TOKEN-CHALLENGE', () =>
    fc.assert(
      fc.property(fc.record({ tokenInfos: fc.array(tokenInfo, { minLength: 1, maxLength: 4 }) }), (v) => {
        expect(A.decodePaTokenChallenge(A.encodePaTokenChallenge(v))).toEqual(v);
      }),
    ));
  it('AD-TOKEN', () =>
    fc.assert(
      fc.property(fc.record({ token: krbToken }), (v) => {
        expect(A.decodeAdToken(A.encodeAdToken(v))).toEqual(v);
      }),
    ));
});

describe('Kerby token types: hostile input', () => {
  it.each(vectors)(
    '%s: every single-byte mutation decodes to a value that re-encodes to itself, or is an Asn1DecodeError',
    (_n, row, der) => {
      const [dec, enc] = CODECS[row.type];
      for (let i = 0; i < der.length; i++)
        for (const x of [0x00, 0xff, der[i]! ^ 0x01, der[i]! ^ 0x80]) {
          const m = der.slice();
          m[i] = x;
          let v: unknown;
          try {
            v = dec(m);
          } catch (e) {
            expect(e).toBeInstanceOf(Asn1DecodeError);
            continue;
          }
          expect(toHex(enc(v as never))).toBe(toHex(m));
        }
    },
  );

  it.each(vectors)('%s: every truncation and any trailing byte is an Asn1DecodeError', (_n, row, der) => {
    const [dec] = CODECS[row.type];
    for (let n = 0; n < der.length; n++) expect(() => dec(der.subarray(0, n))).toThrow(Asn1DecodeError);
    expect(() => dec(Uint8Array.of(...der, 0))).toThrow(Asn1DecodeError);
  });

  it('decoding is bounded: an input over maxSize is refused before it is parsed', () => {
    const der = vector('PaTokenRequest');
    expect(() => A.decodePaTokenRequest(der, { maxSize: der.length - 1 })).toThrow(Asn1DecodeError);
    expect(A.decodePaTokenRequest(der, { maxSize: der.length }).tokenInfo.tokenVendor).toBe('token-service');
  });

  it('random bytes never throw anything but Asn1DecodeError', () =>
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        for (const [dec] of Object.values(CODECS))
          try {
            dec(Uint8Array.of(0x30, b.length, ...b));
          } catch (e) {
            expect(e).toBeInstanceOf(Asn1DecodeError);
          }
      }),
    ));
});
