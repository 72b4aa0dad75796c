import { createCipheriv } from 'node:crypto';
import { cbc } from '@noble/ciphers/aes.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesDecryptionKey,
  aesExpandKey,
} from '../../src/crypto/aes-fips197.js';
import { CryptoError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import vectors from '../vectors/aes-fips197.json' with { type: 'json' };

const ZERO_IV = new Uint8Array(16);

function encrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  aesCbcEncrypt(aesExpandKey(key), iv, data, out);
  return out;
}

function decrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  aesCbcDecrypt(aesDecryptionKey(aesExpandKey(key)), iv, data, out);
  return out;
}

describe('AES (FIPS 197) in CBC mode (SP 800-38A)', () => {
  it.each(vectors)('$source', (v) => {
    // ECB of one block is CBC with a zero IV.
    const iv = v.iv === null ? ZERO_IV : fromHex(v.iv);
    expect(toHex(encrypt(fromHex(v.key), iv, fromHex(v.plaintext)))).toBe(v.ciphertext);
    expect(toHex(decrypt(fromHex(v.key), iv, fromHex(v.ciphertext)))).toBe(v.plaintext);
  });

  it('works in place (dst = src)', () => {
    const v = vectors[5]!;
    const buf = fromHex(v.plaintext);
    const xk = aesExpandKey(fromHex(v.key));
    aesCbcEncrypt(xk, fromHex(v.iv!), buf, buf);
    expect(toHex(buf)).toBe(v.ciphertext);
    aesCbcDecrypt(aesDecryptionKey(xk), fromHex(v.iv!), buf, buf);
    expect(toHex(buf)).toBe(v.plaintext);
  });

  it('agrees with node:crypto and @noble/ciphers on random keys, IVs and every block count up to 5000 bytes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32),
        fc.integer({ min: 0, max: 312 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 5008, maxLength: 5008 }),
        (keyLen, blocks, keyPool, iv, pool) => {
          const key = keyPool.subarray(0, keyLen);
          // An odd offset: the primitive reads bytes, so alignment must not matter.
          const data = pool.subarray(1, 1 + 16 * blocks);
          const ours = encrypt(key, iv, data);
          const c = createCipheriv(`aes-${keyLen * 8}-cbc`, key, iv).setAutoPadding(false);
          expect(toHex(ours)).toBe(toHex(new Uint8Array(Buffer.concat([c.update(data), c.final()]))));
          expect(toHex(ours)).toBe(toHex(cbc(key, iv, { disablePadding: true }).encrypt(data)));
          expect(toHex(decrypt(key, iv, ours))).toBe(toHex(data));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects bad key sizes, IVs and partial blocks', () => {
    expect(() => aesExpandKey(new Uint8Array(20))).toThrow(CryptoError);
    const xk = aesExpandKey(new Uint8Array(16));
    expect(() => aesCbcEncrypt(xk, new Uint8Array(8), new Uint8Array(16), new Uint8Array(16))).toThrow(/IV/);
    expect(() => aesCbcDecrypt(xk, ZERO_IV, new Uint8Array(15), new Uint8Array(16))).toThrow(/whole 16-byte/);
    expect(() => aesCbcEncrypt(xk, ZERO_IV, new Uint8Array(32), new Uint8Array(16))).toThrow(CryptoError);
  });
});
