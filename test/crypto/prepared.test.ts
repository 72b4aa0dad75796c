import { afterEach, describe, expect, it } from 'vitest';
import { decrypt, encrypt, Key, setCryptoBackend } from '../../src/crypto/index.js';
import { preparedAes, preparedHmac } from '../../src/crypto/prepared.js';
import { toHex } from '../../src/util/bytes.js';

afterEach(() => setCryptoBackend('auto'));

describe('prepared keys beside the derived-key cache', () => {
  it('one prepared form per cached key and backend, rebuilt when the backend changes', () => {
    const key = new Key(18, new Uint8Array(32).fill(3));
    setCryptoBackend('node');
    const a = preparedAes(key.own());
    expect(preparedAes(key.own())).toBe(a);
    expect(preparedAes(new Key(18, key.bytes).own())).not.toBe(a);
    setCryptoBackend('pure');
    const b = preparedAes(key.own());
    expect(b).not.toBe(a);
    expect(preparedAes(key.own())).toBe(b);
  });

  it('an HMAC key is prepared per hash', () => {
    const k = new Key(17, new Uint8Array(16).fill(5)).cached(1000, () => new Uint8Array(16).fill(6));
    const s256 = preparedHmac('sha256', k);
    expect(preparedHmac('sha256', k)).toBe(s256);
    expect(toHex(preparedHmac('sha1', k).mac(new Uint8Array(1)))).toHaveLength(40);
    expect(toHex(preparedHmac('sha256', k).mac(new Uint8Array(1)))).toHaveLength(64);
  });

  it.each([17, 18, 19, 20])(
    'etype %i: one warm Key across backend switches stays byte-identical',
    (etype) => {
      const key = new Key(etype, new Uint8Array(etype === 18 || etype === 20 ? 32 : 16).fill(etype));
      const confounder = new Uint8Array(16).fill(1);
      const outputs = new Set<string>();
      for (const name of ['node', 'pure', 'node', 'pure'] as const) {
        setCryptoBackend(name);
        for (const size of [0, 1, 15, 16, 17, 100]) {
          const plaintext = new Uint8Array(size).fill(size);
          const c = encrypt(key, 3, plaintext, { confounder });
          if (size === 100) outputs.add(toHex(c));
          expect(decrypt(key, 3, c)).toEqual(plaintext);
          setCryptoBackend(name === 'node' ? 'pure' : 'node');
          expect(decrypt(key, 3, c)).toEqual(plaintext);
          setCryptoBackend(name);
        }
      }
      expect(outputs.size).toBe(1);
    },
  );
});
