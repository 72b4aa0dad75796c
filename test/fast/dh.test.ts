import { getDiffieHellman } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../src/errors.js';
import {
  bigIntToBytes,
  bytesToBigInt,
  dhKeyPair,
  dhSharedSecret,
  MODP_GROUP_14,
  modPow,
} from '../../src/fast/dh.js';
import { counterRandom } from './spec.js';

// OpenSSL's built-in RFC 3526 group 14, reached through node:crypto: an independent source of p and of secrets.
const openssl = getDiffieHellman('modp14');

describe('MODP group 14 (RFC 3526 3)', () => {
  it('is the group Node/OpenSSL knows as modp14', () => {
    expect(bytesToBigInt(new Uint8Array(openssl.getPrime()))).toBe(MODP_GROUP_14.p);
    expect(bytesToBigInt(new Uint8Array(openssl.getGenerator()))).toBe(2n);
    expect(MODP_GROUP_14.q * 2n + 1n).toBe(MODP_GROUP_14.p);
    expect(MODP_GROUP_14.size).toBe(256);
  });

  it("the shared secret equals OpenSSL's for the same peer, left-padded to 256 bytes", () => {
    openssl.generateKeys();
    const kp = dhKeyPair(MODP_GROUP_14, counterRandom(3));
    const ours = dhSharedSecret(kp, bytesToBigInt(new Uint8Array(openssl.getPublicKey())));
    const theirs = new Uint8Array(openssl.computeSecret(Buffer.from(bigIntToBytes(kp.y, 256))));
    expect(ours.length).toBe(256);
    expect(bytesToBigInt(ours)).toBe(bytesToBigInt(theirs));
  });

  it.each([
    ['0', 0n],
    ['1', 1n],
    ['p - 1 (order 2)', MODP_GROUP_14.p - 1n],
    ['p', MODP_GROUP_14.p],
    ['a non-residue', MODP_GROUP_14.p - 2n],
  ])('refuses the peer value %s', (_n, y) => {
    const kp = dhKeyPair(MODP_GROUP_14, counterRandom(5));
    expect(() => dhSharedSecret(kp, y)).toThrow(CryptoError);
  });

  it('modPow agrees with small known values', () => {
    expect(modPow(4n, 13n, 497n)).toBe(445n);
    expect(modPow(2n, 0n, 7n)).toBe(1n);
  });

  it('two key pairs agree on the secret (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 250 }), fc.integer({ min: 1, max: 250 }), (a, b) => {
        const ka = dhKeyPair(MODP_GROUP_14, counterRandom(a));
        const kb = dhKeyPair(MODP_GROUP_14, counterRandom(b + 300));
        expect(dhSharedSecret(ka, kb.y)).toEqual(dhSharedSecret(kb, ka.y));
      }),
      { numRuns: 5 },
    );
  });

  it('bytes <-> bigint round trip (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 300n) - 1n }), (n) => {
        expect(bytesToBigInt(bigIntToBytes(n))).toBe(n);
        expect(bigIntToBytes(n, 40).length).toBe(40);
      }),
    );
    expect(() => bigIntToBytes(1n << 64n, 4)).toThrow(CryptoError);
  });
});
