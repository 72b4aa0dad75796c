import { describe, expect, it } from 'vitest';
import { aesCtsDecrypt, aesCtsEncrypt, ctsWorkBuffer } from '../../src/crypto/aes-cts.js';
import { decrypt, encrypt, generateKey, Key, setCryptoBackend } from '../../src/crypto/index.js';
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

describe('the shared CTS work buffer', () => {
  it('is handed out zeroed, whatever the previous caller left in it', () => {
    const first = ctsWorkBuffer(100);
    first.fill(0xff);
    const second = ctsWorkBuffer(40);
    expect(second).toHaveLength(48);
    expect(second.every((b) => b === 0)).toBe(true);
    expect(ctsWorkBuffer(1 << 17)).toHaveLength(1 << 17);
  });

  it.each(BACKENDS)('%s: garbage left in it does not reach the next encryption', (name) => {
    setCryptoBackend(name);
    const key = new Key(18, new Uint8Array(32).fill(1));
    const confounder = new Uint8Array(16).fill(2);
    const short = new Uint8Array(17).fill(3);
    const want = toHex(encrypt(key, 3, short, { confounder }));
    encrypt(key, 3, new Uint8Array(300).fill(4), { confounder });
    ctsWorkBuffer(4096).fill(0xff);
    expect(toHex(encrypt(key, 3, short, { confounder }))).toBe(want);
    setCryptoBackend('auto');
  });
});

describe('arrays the CTS layer returns', () => {
  it.each(BACKENDS)('%s: hold only zeros past the ciphertext + MAC and past the plaintext', (name) => {
    setCryptoBackend(name);
    // The cipher output is returned as a view with room to spare (for the MAC, or whole blocks): what the view
    // does not show must not be the stolen end of C[m-1], encryptions of padding or anything else.
    const behind = (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset + b.length);
    for (const etype of [17, 18, 19, 20])
      for (const len of [0, 1, 15, 16, 17, 40, 100]) {
        const key = generateKey(etype);
        const ct = encrypt(key, 3, new Uint8Array(len).fill(5));
        expect(behind(ct).every((b) => b === 0)).toBe(true);
        const pt = decrypt(key, 3, ct);
        expect(pt).toEqual(new Uint8Array(len).fill(5));
        expect(behind(pt).every((b) => b === 0)).toBe(true);
      }
    setCryptoBackend('auto');
  });
});
