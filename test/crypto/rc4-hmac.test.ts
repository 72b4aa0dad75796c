import { describe, expect, it } from 'vitest';
import {
  decrypt,
  encrypt,
  generateKey,
  Key,
  KeyUsage,
  makeChecksum,
  verifyChecksum,
} from '../../src/crypto/index.js';
import { rc4MsUsage } from '../../src/crypto/rc4-hmac.js';
import { fromHex, utf8 } from '../../src/util/bytes.js';
import checksumVectors from '../vectors/checksum.json' with { type: 'json' };
import { BACKENDS, useBackend } from './vectors.js';

describe('rc4-hmac usage translation (RFC 4757 3, MS-KILE)', () => {
  it.each([
    [3, 8],
    [9, 8],
    [23, 13],
    [1, 1],
    [8, 8],
    [17, 17],
  ])('usage %i is message type %i', (usage, ms) => {
    expect(rc4MsUsage(usage)).toBe(ms);
  });
});

describe.each(BACKENDS)('rc4-hmac (RFC 4757), %s backend', (name) => {
  useBackend(name);

  it('a ciphertext for usage 3 (AS-REP) decrypts with usage 8 and 9, as Windows does', () => {
    const key = generateKey(23);
    const ct = encrypt(key, KeyUsage.AsRepEncPart, utf8('enc-part'));
    expect(decrypt(key, KeyUsage.TgsRepEncPartSessionKey, ct)).toEqual(utf8('enc-part'));
    expect(decrypt(key, KeyUsage.TgsRepEncPartSubkey, ct)).toEqual(utf8('enc-part'));
  });

  it('adds 16 bytes of MAC and 8 of confounder', () => {
    const key = generateKey(23);
    expect(encrypt(key, 1, new Uint8Array(10)).length).toBe(34);
  });

  it('HMAC-MD5 (-138) works with an AES key too (PA-FOR-USER with any session key)', () => {
    const aes = generateKey(17);
    const data = utf8('S4U2Self');
    const sig = makeChecksum(-138, aes, KeyUsage.PacSignature, data);
    expect(sig.length).toBe(16);
    expect(verifyChecksum(-138, aes, KeyUsage.PacSignature, data, sig)).toBe(true);
    // HMAC-MD5 is keyed by the raw key bytes whatever the enctype: an rc4 key with the same bytes agrees.
    expect(makeChecksum(-138, new Key(23, aes.bytes), KeyUsage.PacSignature, data)).toEqual(sig);
  });

  it('the MIT -138 vector verifies and a one-bit change does not', () => {
    const v = checksumVectors.find((r) => r.cksumtype === -138);
    expect(v).toBeDefined();
    if (!v) return;
    const key = new Key(23, fromHex(v.key));
    const sig = fromHex(v.checksum);
    expect(verifyChecksum(-138, key, v.usage, fromHex(v.plaintext), sig)).toBe(true);
    sig[0]! ^= 0x80;
    expect(verifyChecksum(-138, key, v.usage, fromHex(v.plaintext), sig)).toBe(false);
  });
});
