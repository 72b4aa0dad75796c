import { describe, expect, it } from 'vitest';
import { S2kIterations } from '../../src/crypto/constants.js';
import { pbkdf2Iterations } from '../../src/crypto/s2kparams.js';
import { CryptoError } from '../../src/errors.js';
import { fromHex } from '../../src/util/bytes.js';

describe('s2kparams iteration count (RFC 3962 4, MIT policy)', () => {
  it('uses the default when params are absent or empty', () => {
    expect(pbkdf2Iterations('x', undefined, 4096, {})).toBe(4096);
    expect(pbkdf2Iterations('x', new Uint8Array(0), 32768, {})).toBe(32768);
  });

  it.each([
    ['00001000', 4096, {}],
    ['00008000', 32768, {}],
    ['00ffffff', 0xffffff, {}],
    ['00000001', 1, { allowWeak: true }],
  ])('reads %s as %i', (hex, count, opts) => {
    expect(pbkdf2Iterations('x', fromHex(hex), 4096, opts)).toBe(count);
  });

  it.each([
    ['00000000', /count 0/],
    ['01000000', /too large/],
    ['00000fff', /below the default 4096/],
    ['0000100000', /4-byte/],
  ])('refuses %s', (hex, msg) => {
    expect(() => pbkdf2Iterations('x', fromHex(hex), 4096, {})).toThrow(CryptoError);
    expect(() => pbkdf2Iterations('x', fromHex(hex), 4096, {})).toThrow(msg);
  });

  it('caps counts at 2^24 - 1', () => {
    expect(S2kIterations.Max).toBe(2 ** 24);
  });
});
