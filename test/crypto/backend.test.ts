import { createHash, createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cbc } from '@noble/ciphers/aes.js';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backend } from '../../src/crypto/backend.js';
import {
  cryptoBackendName,
  decrypt,
  EncType,
  encrypt,
  Key,
  makeChecksum,
  setCryptoBackend,
  stringToKey,
} from '../../src/crypto/index.js';
import { CryptoError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import decryptVectors from '../vectors/decrypt.json' with { type: 'json' };

type Proc = { getBuiltinModule?: ((id: string) => unknown) | undefined };

afterEach(() => {
  setCryptoBackend('auto');
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('crypto backend selection', () => {
  it('auto picks node:crypto on Node', () => {
    setCryptoBackend('auto');
    expect(cryptoBackendName()).toBe('node');
  });

  it('can be forced either way', () => {
    setCryptoBackend('pure');
    expect(cryptoBackendName()).toBe('pure');
    setCryptoBackend('node');
    expect(cryptoBackendName()).toBe('node');
  });

  it("'noble', the pure backend's former name, still selects it (setCryptoBackend and TSKRB_CRYPTO_BACKEND)", async () => {
    setCryptoBackend('noble');
    expect(cryptoBackendName()).toBe('pure');
    vi.stubEnv('TSKRB_CRYPTO_BACKEND', 'noble');
    vi.resetModules();
    const fresh = await import('../../src/crypto/index.js');
    expect(fresh.cryptoBackendName()).toBe('pure');
  });

  it('refuses an unknown backend name', () => {
    expect(() => setCryptoBackend('openssl' as 'node')).toThrow(CryptoError);
  });

  it.each(['pure', 'node'])('TSKRB_CRYPTO_BACKEND=%s is honoured at load time', async (name) => {
    vi.stubEnv('TSKRB_CRYPTO_BACKEND', name);
    vi.resetModules();
    const fresh = await import('../../src/crypto/index.js');
    expect(fresh.cryptoBackendName()).toBe(name);
  });

  it('a bad TSKRB_CRYPTO_BACKEND fails loudly', async () => {
    vi.stubEnv('TSKRB_CRYPTO_BACKEND', 'fast');
    vi.resetModules();
    await expect(import('../../src/crypto/index.js')).rejects.toThrow(/pure, node or auto/);
  });

  it('works with no node:crypto at all (falls back to pure; forcing node is an error)', async () => {
    const proc = globalThis.process as unknown as Proc;
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      vi.resetModules();
      const fresh = await import('../../src/crypto/index.js');
      expect(fresh.cryptoBackendName()).toBe('pure');
      const v = decryptVectors.find((r) => r.enctype === 18 && r.usage === 4);
      expect(v).toBeDefined();
      if (v)
        expect(toHex(fresh.decrypt(new fresh.Key(18, fromHex(v.key)), 4, fromHex(v.ciphertext)))).toBe(
          v.plaintext,
        );
      expect(() => fresh.setCryptoBackend('node')).toThrow(/node:crypto is not available/);
    } finally {
      proc.getBuiltinModule = saved;
    }
  });

  it('no core crypto file imports a node: module', () => {
    const dir = join(import.meta.dirname, '../../src/crypto');
    for (const f of readdirSync(dir)) {
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/from\s+['"]node:|import\(\s*['"]node:|require\(/);
    }
  });
});

describe('pure and node give byte-identical results', () => {
  const both = <T>(f: () => T): [T, T] => {
    setCryptoBackend('pure');
    const a = f();
    setCryptoBackend('node');
    return [a, f()];
  };

  it.each(Object.values(EncType))('etype %i: encrypt, checksum and a low-count string-to-key', (etype) => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.integer({ min: 0, max: 60 }),
        (seed, data, usage) => {
          const mk = () => new Key(etype, seed.subarray(0, etype === 18 || etype === 20 ? 32 : 16));
          const conf = seed.subarray(0, etype === EncType.RC4_HMAC ? 8 : 16);
          const [a, b] = both(() => toHex(encrypt(mk(), usage, data, { confounder: conf })));
          expect(a).toBe(b);
          const [c, d] = both(() => toHex(makeChecksum(-138, mk(), usage, data)));
          expect(c).toBe(d);
        },
      ),
      { numRuns: 30 },
    );
    // rc4-hmac takes no s2kparams; the AES enctypes get a low count to keep the test fast.
    const params = (n: string) => (etype === EncType.RC4_HMAC ? undefined : fromHex(n));
    const [s1, s2] = both(() =>
      stringToKey(etype, 'pw', 'salt', params('00000003'), { allowWeak: true }).toHex(),
    );
    expect(s1).toBe(s2);
    const [p1, p2] = both(() => {
      const k = stringToKey(etype, 'pw', 'salt', params('00000002'), { allowWeak: true });
      return toHex(decrypt(k, 1, encrypt(k, 1, new Uint8Array(33))));
    });
    expect(p1).toBe(p2);
  });
});

describe('prepared AES keys keep no state between calls', () => {
  /** One CBC call: encrypt or decrypt `blocks` with `iv`. */
  const step = fc.record({
    encrypt: fc.boolean(),
    iv: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    data: fc
      .integer({ min: 1, max: 6 })
      .chain((n) => fc.uint8Array({ minLength: 16 * n, maxLength: 16 * n })),
  });

  it('node (kept OpenSSL contexts) and pure (kept schedules) match a fresh cbc() on every call of a sequence', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.array(step, { minLength: 1, maxLength: 8 }),
        (key, steps) => {
          setCryptoBackend('node');
          const node = backend().aesKey(key);
          setCryptoBackend('pure');
          const pure = backend().aesKey(key);
          for (const s of steps) {
            const fresh = cbc(key, s.iv, { disablePadding: true });
            const want = toHex(s.encrypt ? fresh.encrypt(s.data) : fresh.decrypt(s.data));
            for (const [i, k] of [node, pure, node, pure].entries()) {
              // Odd rounds read from a buffer at an odd offset (a ciphertext inside a DER message).
              const input = new Uint8Array(s.data.length + (i % 2)).subarray(i % 2);
              input.set(s.data);
              const got = s.encrypt ? k.cbcEncrypt(s.iv, input) : k.cbcDecrypt(s.iv, input);
              expect(toHex(got)).toBe(want);
              if (!s.encrypt) expect(input).toEqual(s.data);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each(['node', 'pure'] as const)('%s: a refused length leaves the key usable', (name) => {
    setCryptoBackend(name);
    const key = new Uint8Array(32).fill(7);
    const k = backend().aesKey(key);
    const iv = new Uint8Array(16).fill(1);
    const block = new Uint8Array(32).fill(9);
    expect(() => k.cbcEncrypt(iv, new Uint8Array(20))).toThrow(/whole 16-byte blocks/);
    expect(() => k.cbcDecrypt(iv, new Uint8Array(0))).toThrow(/whole 16-byte blocks/);
    const fresh = cbc(key, iv, { disablePadding: true });
    expect(toHex(k.cbcEncrypt(iv, block.slice()))).toBe(toHex(fresh.encrypt(block)));
    expect(toHex(k.cbcDecrypt(iv, block))).toBe(toHex(cbc(key, iv, { disablePadding: true }).decrypt(block)));
  });

  it.each(['node', 'pure'] as const)('%s: results are plain Uint8Arrays, never Buffers', (name) => {
    setCryptoBackend(name);
    const k = backend().aesKey(new Uint8Array(16));
    const m = backend().hmacKey('sha256', new Uint8Array(16));
    for (const out of [k.cbcEncrypt(new Uint8Array(16), new Uint8Array(48)), m.mac(new Uint8Array(3))])
      expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
  });

  it.each(['node', 'pure'] as const)(
    '%s: a prepared HMAC key gives HMAC(a || b), call after call',
    (name) => {
      setCryptoBackend(name);
      const key = fromHex('0b'.repeat(20));
      const m = backend().hmacKey('sha256', key);
      // RFC 4231 test case 1.
      const want = 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7';
      for (let i = 0; i < 3; i++) {
        expect(toHex(m.mac(fromHex('4869205468657265')))).toBe(want);
        expect(toHex(m.mac(fromHex('48692054'), fromHex('68657265')))).toBe(want);
      }
    },
  );
  it('node: hashes and HMACs equal node:crypto at every length around where short ones run in JavaScript', () => {
    setCryptoBackend('node');
    const be = backend();
    fc.assert(
      fc.property(
        fc.constantFrom(...(['sha1', 'sha256', 'sha384', 'md5'] as const)),
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 0, max: 700 }),
        (alg, key, n, split) => {
          const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
          const want = createHmac(alg, key).update(data).digest('hex');
          const cut = Math.min(split, n);
          const prepared = be.hmacKey(alg, key);
          expect(toHex(prepared.mac(data.subarray(0, cut), data.subarray(cut)))).toBe(want);
          expect(toHex(prepared.mac(data))).toBe(want);
          expect(toHex(be.hmac(alg, key, data))).toBe(want);
          expect(toHex(be.hash(alg, data))).toBe(createHash(alg).update(data).digest('hex'));
        },
      ),
      { numRuns: 300 },
    );
  });
});
