import { createHmac } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Compression } from '../../src/crypto/fips180.js';
import { PreparedHmac } from '../../src/crypto/hmac-fips198.js';
import { md5Compression } from '../../src/crypto/md5-rfc1321.js';
import { sha1Compression } from '../../src/crypto/sha1-fips180.js';
import { sha256Compression } from '../../src/crypto/sha256-fips180.js';
import { sha384Compression } from '../../src/crypto/sha512-fips180.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import vectors from '../vectors/hmac-fips198.json' with { type: 'json' };

const HASHES = {
  sha1: { c: sha1Compression, noble: sha1 },
  sha256: { c: sha256Compression, noble: sha256 },
  sha384: { c: sha384Compression, noble: sha384 },
  md5: { c: md5Compression, noble: md5 },
} as const satisfies Record<string, { c: Compression; noble: unknown }>;
type Alg = keyof typeof HASHES;

describe('HMAC (FIPS 198-1) on a prepared key', () => {
  it.each(vectors)('$hash: $source', (v) => {
    const mac = new PreparedHmac(HASHES[v.hash as Alg].c, fromHex(v.key));
    expect(toHex(mac.mac(fromHex(v.data)))).toBe(v.mac);
    // A prepared key is reused: the same message again, then split in two, gives the same MAC.
    expect(toHex(mac.mac(fromHex(v.data)))).toBe(v.mac);
    const d = fromHex(v.data);
    expect(toHex(mac.mac(d.subarray(0, 3), d.subarray(3)))).toBe(v.mac);
  });

  it.each(Object.keys(HASHES) as Alg[])(
    '%s agrees with node:crypto and @noble/hashes for keys of 0 to 300 bytes and messages a || b up to 5000 bytes',
    (alg) => {
      const { c, noble } = HASHES[alg];
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 4800 }),
          (key, a, b) => {
            const expected = createHmac(alg, key).update(a).update(b).digest('hex');
            const prepared = new PreparedHmac(c, key);
            expect(toHex(prepared.mac(a, b))).toBe(expected);
            expect(toHex(hmac(noble, key, new Uint8Array([...a, ...b])))).toBe(expected);
            // And again on the same prepared key, as one piece.
            expect(toHex(prepared.mac(new Uint8Array([...a, ...b])))).toBe(expected);
          },
        ),
        { numRuns: 200 },
      );
    },
  );
});
