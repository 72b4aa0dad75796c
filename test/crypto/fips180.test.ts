import { createHash } from 'node:crypto';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Compression, Fips180Hasher, fips180Digest } from '../../src/crypto/fips180.js';
import { md5Compression } from '../../src/crypto/md5-rfc1321.js';
import { sha1Compression } from '../../src/crypto/sha1-fips180.js';
import { sha256Compression } from '../../src/crypto/sha256-fips180.js';
import { sha384Compression } from '../../src/crypto/sha512-fips180.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import vectors from '../vectors/fips180.json' with { type: 'json' };

const HASHES: Record<string, { c: Compression; noble: (d: Uint8Array) => Uint8Array }> = {
  sha1: { c: sha1Compression, noble: sha1 },
  sha256: { c: sha256Compression, noble: sha256 },
  sha384: { c: sha384Compression, noble: sha384 },
  // MD5 (RFC 1321) runs on the same hasher with little-endian lengths and output; its vectors: md5-rfc1321.test.ts.
  md5: { c: md5Compression, noble: md5 },
};

function repeated(hex: string, times: number): Uint8Array {
  const unit = fromHex(hex);
  const out = new Uint8Array(unit.length * times);
  for (let i = 0; i < times; i++) out.set(unit, i * unit.length);
  return out;
}

describe('SHA-1, SHA-256, SHA-384 (FIPS 180-4) and MD5 on our compression functions', () => {
  it.each(vectors)('$hash of $name ($source)', (v) => {
    expect(toHex(fips180Digest(HASHES[v.hash]!.c, repeated(v.message, v.repeat)))).toBe(v.digest);
  });

  it.each(Object.keys(HASHES))(
    '%s agrees with node:crypto and @noble/hashes on every length up to 5000 bytes, fed in any two pieces',
    (alg) => {
      const { c, noble } = HASHES[alg]!;
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(), fc.nat(3), (data, cut, shift) => {
          const expected = createHash(alg).update(data).digest('hex');
          expect(toHex(fips180Digest(c, data))).toBe(expected);
          expect(toHex(noble(data))).toBe(expected);
          // The same bytes at an unaligned offset, absorbed in two pieces split anywhere.
          const buf = new Uint8Array(data.length + shift);
          buf.set(data, shift);
          const moved = buf.subarray(shift);
          const at = data.length === 0 ? 0 : cut % (data.length + 1);
          const x = new Fips180Hasher(c);
          x.begin(c.iv);
          x.absorb(moved.subarray(0, at));
          x.absorb(moved.subarray(at));
          x.finish(data.length);
          const out = new Uint8Array(c.outputLen);
          x.digestInto(out);
          expect(toHex(out)).toBe(expected);
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(Object.keys(HASHES))('%s at every length around the padding edges of one and two blocks', (alg) => {
    const { c } = HASHES[alg]!;
    const data = new Uint8Array(2 * c.blockLen + 1).map((_, i) => i * 7);
    for (let n = 0; n <= data.length; n++)
      expect(toHex(fips180Digest(c, data.subarray(0, n)))).toBe(
        createHash(alg).update(data.subarray(0, n)).digest('hex'),
      );
  });
});
