import { describe, expect, it } from 'vitest';
import { nfold } from '../../src/crypto/nfold.js';
import { CryptoError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import vectors from '../vectors/nfold.json' with { type: 'json' };

describe('n-fold (RFC 3961 A.1)', () => {
  it.each(vectors)('$bits-fold("$input")', (v) => {
    expect(toHex(nfold(fromHex(v.inputHex), v.bits))).toBe(v.output);
  });

  it('rejects an empty input and a bit count that is not a positive multiple of 8', () => {
    expect(() => nfold(new Uint8Array(0), 64)).toThrow(CryptoError);
    expect(() => nfold(new Uint8Array(1), 60)).toThrow(/multiple of 8/);
    expect(() => nfold(new Uint8Array(1), 0)).toThrow(CryptoError);
  });
});
