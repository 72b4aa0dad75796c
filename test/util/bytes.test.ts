import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KerberosError } from '../../src/errors.js';
import { concat, constantTimeEqual, fromBase64, fromHex, toBase64, toHex } from '../../src/util/bytes.js';

describe('bytes', () => {
  it('hex round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
      }),
    );
  });
  it('base64 round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(fromBase64(toBase64(b))).toEqual(b);
      }),
    );
  });
  it('rejects odd or non-hex input', () => {
    expect(() => fromHex('abc')).toThrow(KerberosError);
    expect(() => fromHex('zz')).toThrow(KerberosError);
  });
  it('constantTimeEqual compares content and length', () => {
    expect(constantTimeEqual(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(constantTimeEqual(fromHex('0102'), fromHex('0103'))).toBe(false);
    expect(constantTimeEqual(fromHex('01'), fromHex('0102'))).toBe(false);
    expect(concat(fromHex('01'), fromHex('0203'))).toEqual(fromHex('010203'));
  });
});
