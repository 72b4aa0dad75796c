import { describe, expect, it } from 'vitest';
import { aesCtsDecrypt, aesCtsEncrypt } from '../../src/crypto/aes-cts.js';
import { CryptoError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import vectors from '../vectors/aes-cts-sha1.json' with { type: 'json' };
import { BACKENDS, useBackend } from './vectors.js';

describe.each(BACKENDS)('AES-CBC-CTS (RFC 3962 B), %s backend', (name) => {
  useBackend(name);

  it.each(vectors)('encrypts $inputText.length bytes "$inputText"', (v) => {
    const out = aesCtsEncrypt(fromHex(v.key), fromHex(v.iv), fromHex(v.input));
    expect(toHex(out)).toBe(v.output);
    // RFC 3962 B: the next cipher state is the last full CBC block, sent in the second-to-last position.
    const n = Math.ceil(out.length / 16);
    expect(toHex(out.subarray((n - 2) * 16, (n - 1) * 16))).toBe(v.nextIv);
  });

  it.each(vectors)('decrypts $inputText.length bytes', (v) => {
    expect(toHex(aesCtsDecrypt(fromHex(v.key), fromHex(v.iv), fromHex(v.output)))).toBe(v.input);
  });

  it('treats exactly one block as plain AES (no stealing)', () => {
    const key = fromHex('636869636b656e207465726979616b69');
    const block = fromHex('4920776f756c64206c696b6520746865');
    const out = aesCtsEncrypt(key, new Uint8Array(16), block);
    expect(out.length).toBe(16);
    expect(aesCtsDecrypt(key, new Uint8Array(16), out)).toEqual(block);
  });

  it('rejects inputs shorter than a block and IVs that are not 16 bytes', () => {
    const key = new Uint8Array(16);
    expect(() => aesCtsEncrypt(key, new Uint8Array(16), new Uint8Array(15))).toThrow(CryptoError);
    expect(() => aesCtsDecrypt(key, new Uint8Array(16), new Uint8Array(0))).toThrow(/at least 16 bytes/);
    expect(() => aesCtsEncrypt(key, new Uint8Array(8), new Uint8Array(16))).toThrow(/IV must be 16 bytes/);
  });
});
