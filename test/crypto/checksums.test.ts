import { describe, expect, it } from 'vitest';
import {
  checksumSize,
  checksumTypeName,
  checksumTypeOf,
  generateKey,
  Key,
  makeChecksum,
  verifyChecksum,
} from '../../src/crypto/index.js';
import { CryptoError } from '../../src/errors.js';
import { fromHex, toHex, utf8 } from '../../src/util/bytes.js';
import checksumVectors from '../vectors/checksum.json' with { type: 'json' };
import { BACKENDS, SKIPPED_CKSUMTYPES, useBackend } from './vectors.js';

const rows = checksumVectors.filter((v) => !(v.cksumtype in SKIPPED_CKSUMTYPES));
/** Unkeyed checksums ignore the key; any key will do. */
const keyFor = (v: (typeof rows)[number]) =>
  v.enctype === 0 ? new Key(17, new Uint8Array(16)) : new Key(v.enctype, fromHex(v.key));

describe.each(BACKENDS)('checksums (MIT t_cksums.c, RFC 4757), %s backend', (name) => {
  useBackend(name);

  it.each(rows)('type $cksumtype, etype $enctype, usage $usage', (v) => {
    const key = keyFor(v);
    const data = fromHex(v.plaintext);
    expect(toHex(makeChecksum(v.cksumtype, key, v.usage, data))).toBe(v.checksum);
    expect(checksumSize(v.cksumtype)).toBe(v.checksum.length / 2);
    expect(verifyChecksum(v.cksumtype, key, v.usage, data, fromHex(v.checksum))).toBe(true);
  });

  it.each(rows)('type $cksumtype rejects altered data and truncated checksums', (v) => {
    const key = keyFor(v);
    const data = fromHex(v.plaintext);
    const wrong = Uint8Array.from([...data, 0]);
    expect(verifyChecksum(v.cksumtype, key, v.usage, wrong, fromHex(v.checksum))).toBe(false);
    expect(verifyChecksum(v.cksumtype, key, v.usage, data, fromHex(v.checksum).subarray(1))).toBe(false);
  });
});

describe('checksum type and key must match', () => {
  it.each([
    [15, 18],
    [16, 17],
    [19, 20],
    [20, 18],
    [16, 23],
  ])('type %i with an etype %i key is a CryptoError', (cksumtype, etype) => {
    expect(() => makeChecksum(cksumtype, generateKey(etype), 1, utf8('x'))).toThrow(CryptoError);
    expect(() => verifyChecksum(cksumtype, generateKey(etype), 1, utf8('x'), new Uint8Array(12))).toThrow(
      /needs a .* key, got/,
    );
  });

  it('an unknown checksum type is a CryptoError', () => {
    expect(() => makeChecksum(12, generateKey(18), 1, utf8('x'))).toThrow(/unsupported checksum type 12/);
  });

  it.each([
    [17, 15],
    [18, 16],
    [19, 19],
    [20, 20],
    [23, -138],
  ])('etype %i has the mandatory checksum %i', (etype, cksumtype) => {
    expect(checksumTypeOf(etype)).toBe(cksumtype);
  });

  it('names checksum types', () => {
    expect(checksumTypeName(16)).toBe('hmac-sha1-96-aes256');
    expect(checksumTypeName(-138)).toBe('hmac-md5');
    expect(checksumTypeName(999)).toBe('cksumtype-999');
  });
});
