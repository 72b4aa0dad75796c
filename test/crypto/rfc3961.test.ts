import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nfold } from '../../src/crypto/nfold.js';
import { deriveRandom, usageConstant } from '../../src/crypto/rfc3961.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import deriveVectors from '../vectors/derive.json' with { type: 'json' };

/** Independent reference: one raw AES-ECB block from node:crypto. */
function ecb(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  c.setAutoPadding(false);
  return new Uint8Array(c.update(block));
}

describe('RFC 3961 5.1 DR and 5.3 constants', () => {
  it.each(deriveVectors.filter((v) => v.enctype === 18))('usage constant $constant', (v) => {
    const tag = Number.parseInt(v.constant.slice(-2), 16);
    expect(toHex(usageConstant(Number.parseInt(v.constant.slice(0, 8), 16), tag))).toBe(v.constant);
  });

  it('DR is the chain K1 = E(n-fold(c)), K2 = E(K1), truncated to the seed size', () => {
    const key = new Uint8Array(32).map((_, i) => i * 7);
    const k1 = ecb(key, nfold(utf8('kerberos'), 128));
    const k2 = ecb(key, k1);
    const chain = (d: Uint8Array) => {
      const c = createCipheriv('aes-256-cbc', key, new Uint8Array(16));
      c.setAutoPadding(false);
      return new Uint8Array(c.update(d));
    };
    expect(toHex(deriveRandom(chain, 16, utf8('kerberos'), 32))).toBe(toHex(k1) + toHex(k2));
    expect(toHex(deriveRandom(chain, 16, utf8('kerberos'), 20))).toBe((toHex(k1) + toHex(k2)).slice(0, 40));
  });
});
