import { pbkdf2Sync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5Compression } from '../../src/crypto/md5-rfc1321.js';
import { pbkdf2 } from '../../src/crypto/pbkdf2-rfc8018.js';
import { sha1Compression } from '../../src/crypto/sha1-fips180.js';
import { sha256Compression } from '../../src/crypto/sha256-fips180.js';
import { sha384Compression } from '../../src/crypto/sha512-fips180.js';
import { CryptoError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import vectors from '../vectors/pbkdf2-rfc8018.json' with { type: 'json' };

const HASHES = {
  sha1: sha1Compression,
  sha256: sha256Compression,
  sha384: sha384Compression,
  md5: md5Compression,
};

describe('PBKDF2 (RFC 8018 5.2)', () => {
  it.each(vectors)('$source', (v) => {
    const dk = pbkdf2(sha1Compression, fromHex(v.password), fromHex(v.salt), v.iterations, v.dkLen);
    expect(toHex(dk)).toBe(v.dk);
  });

  it.each(Object.keys(HASHES) as (keyof typeof HASHES)[])(
    'HMAC-%s agrees with node:crypto for any password, salt, count and length (several blocks, long passwords)',
    (alg) => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 100 }),
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 1, max: 130 }),
          (password, salt, iterations, dkLen) => {
            expect(toHex(pbkdf2(HASHES[alg], password, salt, iterations, dkLen))).toBe(
              toHex(pbkdf2Sync(password, salt, iterations, dkLen, alg)),
            );
          },
        ),
        { numRuns: 100 },
      );
    },
  );

  it('rejects an iteration count or key length below 1', () => {
    const p = new Uint8Array(4);
    expect(() => pbkdf2(sha1Compression, p, p, 0, 16)).toThrow(CryptoError);
    expect(() => pbkdf2(sha1Compression, p, p, 1, 0)).toThrow(/key length/);
  });
});
