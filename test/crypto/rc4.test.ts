import { describe, expect, it } from 'vitest';
import { rc4 } from '../../src/crypto/rc4.js';
import { fromHex, toHex, utf8 } from '../../src/util/bytes.js';

// The classic published RC4 examples (key, plaintext, ciphertext).
const KNOWN = [
  ['Key', 'Plaintext', 'bbf316e8d940af0ad3'],
  ['Wiki', 'pedia', '1021bf0420'],
  ['Secret', 'Attack at dawn', '45a01f645fc35b383552544b9bf5'],
] as const;

describe('RC4', () => {
  it.each(KNOWN)('key "%s", plaintext "%s"', (key, pt, ct) => {
    expect(toHex(rc4(utf8(key), utf8(pt)))).toBe(ct);
    expect(rc4(utf8(key), fromHex(ct))).toEqual(utf8(pt));
  });
});
