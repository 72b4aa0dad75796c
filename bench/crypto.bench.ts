/**
 * Crypto layer benchmarks: string-to-key, and encrypt/decrypt of 100 B / 1 KiB / 16 KiB for enctypes
 * 18, 20 and 23 with a warm Key (derived keys cached) and a cold one (new Key each call), on both
 * backends, beside raw node:crypto (AES-256-CBC + HMAC-SHA1, pbkdf2Sync) as the floor.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { bench, describe } from 'vitest';
import { decrypt, encrypt, Key, setCryptoBackend, stringToKey } from '../src/crypto/index.js';

const BACKENDS = ['node', 'pure'] as const;
const OPTS = { time: 300, warmupTime: 50 };
const PASSWORD = 'benchmark password';
const SALT = 'EXAMPLE.COMuser';
const ITER_4096 = Uint8Array.of(0, 0, 0x10, 0);

describe.each([
  [18, 'sha1'],
  [20, 'sha384'],
] as const)('string-to-key etype %i, 4096 iterations', (etype, digest) => {
  bench(
    'floor: node pbkdf2Sync',
    () => {
      pbkdf2Sync(PASSWORD, SALT, 4096, 32, digest);
    },
    OPTS,
  );
  for (const b of BACKENDS)
    bench(
      `tskrb ${b}`,
      () => {
        setCryptoBackend(b);
        stringToKey(etype, PASSWORD, SALT, ITER_4096, { allowWeak: true });
      },
      OPTS,
    );
});

const SIZES = [
  ['100 B', 100],
  ['1 KiB', 1024],
  ['16 KiB', 16384],
] as const;

const AES_KEY = randomBytes(32);
const HMAC_KEY = randomBytes(20);
const IV = new Uint8Array(16);

/** The floor: what an AES-256-CBC + HMAC-SHA1 scheme costs in raw node:crypto on the same bytes. */
function rawEncrypt(data: Uint8Array): void {
  const c = createCipheriv('aes-256-cbc', AES_KEY, IV);
  c.setAutoPadding(false);
  const padded = new Uint8Array(Math.ceil((data.length + 16) / 16) * 16);
  padded.set(data, 16);
  c.update(padded);
  c.final();
  createHmac('sha1', HMAC_KEY).update(padded).digest();
}
function rawDecrypt(ct: Uint8Array): void {
  const d = createDecipheriv('aes-256-cbc', AES_KEY, IV);
  d.setAutoPadding(false);
  const pt = d.update(ct);
  d.final();
  createHmac('sha1', HMAC_KEY).update(pt).digest();
}

for (const etype of [18, 20, 23] as const) {
  for (const [label, size] of SIZES) {
    const plaintext = randomBytes(size);
    const keyBytes = randomBytes(etype === 23 ? 16 : 32);
    const warm = new Key(etype, keyBytes);
    const ciphertext = encrypt(warm, 2, plaintext);
    const rawCt = new Uint8Array(Math.ceil((size + 16) / 16) * 16);

    describe(`etype ${etype} encrypt ${label}`, () => {
      bench('floor: node aes-256-cbc + hmac-sha1', () => rawEncrypt(plaintext), OPTS);
      for (const b of BACKENDS) {
        bench(
          `tskrb ${b} warm key`,
          () => {
            setCryptoBackend(b);
            encrypt(warm, 2, plaintext);
          },
          OPTS,
        );
        bench(
          `tskrb ${b} cold key`,
          () => {
            setCryptoBackend(b);
            encrypt(new Key(etype, keyBytes), 2, plaintext);
          },
          OPTS,
        );
      }
    });

    describe(`etype ${etype} decrypt ${label}`, () => {
      bench('floor: node aes-256-cbc + hmac-sha1', () => rawDecrypt(rawCt), OPTS);
      for (const b of BACKENDS) {
        bench(
          `tskrb ${b} warm key`,
          () => {
            setCryptoBackend(b);
            decrypt(warm, 2, ciphertext);
          },
          OPTS,
        );
        bench(
          `tskrb ${b} cold key`,
          () => {
            setCryptoBackend(b);
            decrypt(new Key(etype, keyBytes), 2, ciphertext);
          },
          OPTS,
        );
      }
    });
  }
}
