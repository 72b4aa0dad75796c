import { describe, expect, it } from 'vitest';
import { fips180Digest } from '../../src/crypto/fips180.js';
import { md5Compression } from '../../src/crypto/md5-rfc1321.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import vectors from '../vectors/md5-rfc1321.json' with { type: 'json' };

// Cross-checks against node:crypto and @noble/hashes over 0..5000 bytes with random split points, and the padding
// edges, run with the SHA hashes in fips180.test.ts.
describe('MD5 (RFC 1321) on the shared hasher', () => {
  it.each(vectors)('$name ($source)', (v) => {
    expect(toHex(fips180Digest(md5Compression, fromHex(v.message)))).toBe(v.digest);
  });
});
