import { describe, expect, it } from 'vitest';
import { aesDeriveKey } from '../../src/crypto/aes-sha1.js';
import { encrypt, Key, makeChecksum } from '../../src/crypto/index.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import deriveVectors from '../vectors/derive.json' with { type: 'json' };
import { BACKENDS, useBackend } from './vectors.js';

const rows = deriveVectors.filter(
  (v) => v.alg === 'DERIVE_RFC3961' && (v.enctype === 17 || v.enctype === 18),
);

describe.each(BACKENDS)('aes-cts-hmac-sha1-96 (RFC 3962), %s backend', (name) => {
  useBackend(name);

  it.each(rows)('DK(etype $enctype key, $constant) (MIT t_derive.c)', (v) => {
    expect(toHex(aesDeriveKey(fromHex(v.inkey), fromHex(v.constant)))).toBe(v.key);
  });

  it('sends confounder+plaintext+12-byte MAC, ciphertext as long as the data', () => {
    const key = new Key(18, new Uint8Array(32).fill(7));
    const ct = encrypt(key, 3, new Uint8Array(5), { confounder: new Uint8Array(16) });
    expect(ct.length).toBe(16 + 5 + 12);
    expect(makeChecksum(16, key, 3, new Uint8Array(5)).length).toBe(12);
  });
});
