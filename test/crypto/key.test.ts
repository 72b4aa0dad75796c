import { afterEach, describe, expect, it } from 'vitest';
import {
  checksumTypeOf,
  decrypt,
  encrypt,
  generateKey,
  Key,
  makeChecksum,
  prf,
} from '../../src/crypto/index.js';
import { setDeriveHook } from '../../src/crypto/key.js';
import { CryptoError } from '../../src/errors.js';
import { utf8 } from '../../src/util/bytes.js';

function countDerivations(): { count: number } {
  const c = { count: 0 };
  setDeriveHook(() => {
    c.count++;
  });
  return c;
}

afterEach(() => setDeriveHook(undefined));

describe('Key', () => {
  it.each([17, 18, 19, 20])(
    'etype %i: the second decrypt with the same key and usage derives nothing',
    (etype) => {
      const key = generateKey(etype);
      const ct = encrypt(key, 3, utf8('reply'));
      const c = countDerivations();
      const fresh = new Key(etype, key.bytes);
      decrypt(fresh, 3, ct);
      expect(c.count).toBe(2); // Ke and Ki
      decrypt(fresh, 3, ct);
      encrypt(fresh, 3, utf8('again'));
      expect(c.count).toBe(2);
      encrypt(fresh, 11, utf8('other usage'));
      expect(c.count).toBe(4); // usage 11 needed its own Ke and Ki
      makeChecksum(checksumTypeOf(etype), fresh, 3, utf8('x'));
      makeChecksum(checksumTypeOf(etype), fresh, 3, utf8('y'));
      expect(c.count).toBe(5); // Kc once
    },
  );

  it('rc4-hmac caches K1 per usage and Ksign once', () => {
    const key = generateKey(23);
    const ct = encrypt(key, 7, utf8('x'));
    const c = countDerivations();
    const fresh = new Key(23, key.bytes);
    decrypt(fresh, 7, ct);
    decrypt(fresh, 7, ct);
    expect(c.count).toBe(1);
    makeChecksum(-138, fresh, 17, utf8('a'));
    makeChecksum(-138, fresh, 6, utf8('b'));
    expect(c.count).toBe(2);
  });

  it('the aes-sha1 PRF key is derived once', () => {
    const key = generateKey(18);
    const c = countDerivations();
    prf(key, utf8('a'));
    prf(key, utf8('b'));
    expect(c.count).toBe(1);
  });

  it.each([
    [17, 32],
    [18, 16],
    [19, 0],
    [20, 33],
    [23, 15],
  ])('etype %i refuses a %i-byte key', (etype, len) => {
    expect(() => new Key(etype, new Uint8Array(len))).toThrow(CryptoError);
    expect(() => new Key(etype, new Uint8Array(len))).toThrow(new RegExp(`got ${len}`));
  });

  it('refuses unknown enctypes, naming known-but-unsupported ones', () => {
    expect(() => new Key(26, new Uint8Array(32))).toThrow(/unsupported enctype 26 \(camellia256-cts-cmac\)/);
    expect(() => new Key(4242, new Uint8Array(32))).toThrow(/unsupported enctype 4242/);
  });

  it('keeps a private copy of the bytes and does not print them', () => {
    const raw = new Uint8Array(16).fill(9);
    const key = new Key(17, raw);
    raw.fill(0);
    expect(key.bytes[0]).toBe(9);
    expect(String(key)).toBe('Key(aes128-cts-hmac-sha1-96)');
  });
});
