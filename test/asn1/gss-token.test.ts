// RFC 2743 3.1 InitialContextToken framing.
import { describe, expect, it } from 'vitest';
import { decodeInitialContextToken, encodeInitialContextToken } from '../../src/asn1/gss-token.js';
import { toHex } from '../../src/util/bytes.js';

describe('InitialContextToken', () => {
  it('frames the krb5 mechanism OID around the inner bytes, the same on every call', () => {
    const v = { thisMech: '1.2.840.113554.1.2.2', innerContextToken: Uint8Array.of(1, 0, 0xaa) };
    const want = '600e06092a864886f712010202' + '0100aa';
    expect(toHex(encodeInitialContextToken(v))).toBe(want);
    expect(toHex(encodeInitialContextToken(v))).toBe(want);
  });

  it('round-trips every mechanism, past the number of OIDs kept encoded', () => {
    for (let arc = 1; arc <= 100; arc++) {
      const v = { thisMech: `1.3.6.1.4.1.${arc * 1000}`, innerContextToken: Uint8Array.of(arc) };
      expect(decodeInitialContextToken(encodeInitialContextToken(v))).toEqual(v);
    }
  });
});
