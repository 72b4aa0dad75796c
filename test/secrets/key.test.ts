/**
 * A Key never shows its bytes by accident: not in String(), template literals, JSON.stringify, util.inspect,
 * console output, object spread or the errors its constructor throws. Only `.bytes` and `.toHex()` reveal them.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { IntegrityError } from '../../src/errors.js';
import { toBase64, toHex } from '../../src/util/bytes.js';

const SECRET = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + (i % 16));
const HEX = toHex(SECRET);
/** Ways the bytes could appear: hex, base64, the decimal list util.inspect prints, and a byte-per-key object. */
const FORMS: (string | RegExp)[] = [
  HEX,
  HEX.toUpperCase(),
  toBase64(SECRET),
  /160,\s*161,\s*162,\s*163/,
  '"0":160',
];

const leaks = (text: string): string[] =>
  FORMS.filter((f) => (typeof f === 'string' ? text.includes(f) : f.test(text))).map(String);

describe('Key: the bytes stay out of every rendering', () => {
  const key = new Key(18, SECRET);
  it.each<[string, () => string]>([
    ['String()', () => String(key)],
    ['template literal', () => `${key}`],
    ['JSON.stringify', () => JSON.stringify(key)],
    ['JSON.stringify of an object holding it', () => JSON.stringify({ sessionKey: key, list: [key] })],
    ['util.inspect', () => inspect(key, { depth: 10, showHidden: false })],
    ['util.inspect of an object holding it', () => inspect({ k: key }, { depth: 10 })],
    ['object spread', () => JSON.stringify({ ...key })],
    ['Object.entries', () => JSON.stringify(Object.entries(key))],
  ])('%s', (_, render) => {
    const text = render();
    expect(text.length).toBeGreaterThan(0);
    expect(leaks(text)).toEqual([]);
  });

  it('the control: toHex() and .bytes do show them (so the check above can see a leak)', () => {
    expect(leaks(key.toHex())).not.toEqual([]);
    expect(leaks(inspect(key.bytes))).not.toEqual([]);
    expect(key.bytes).toEqual(SECRET);
  });

  it('JSON.stringify still shows the enctype', () => {
    expect(JSON.parse(JSON.stringify(key))).toEqual({ etype: 18 });
  });

  it('a wrong-length key: the CryptoError names sizes, not bytes', () => {
    let e: unknown;
    try {
      new Key(18, SECRET.subarray(0, 31));
    } catch (x) {
      e = x;
    }
    const err = e as Error;
    expect(err.message).toMatch(/32 bytes, got 31/);
    expect(leaks(`${err.message}\n${err.stack}\n${inspect(err)}`)).toEqual([]);
  });

  it('a failed decryption: the IntegrityError carries no key bytes and no plaintext', () => {
    const plain = new TextEncoder().encode('plaintext that must not leak');
    const ct = encrypt(key, KeyUsage.AsRepEncPart, plain);
    ct[ct.length - 1]! ^= 1;
    let e: unknown;
    try {
      decrypt(key, KeyUsage.AsRepEncPart, ct);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(IntegrityError);
    const text = `${(e as Error).message}\n${(e as Error).stack}\n${inspect(e, { depth: 10 })}`;
    expect(leaks(text)).toEqual([]);
    expect(text).not.toContain('plaintext that must not leak');
  });
});
