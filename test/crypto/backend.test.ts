import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
    setCryptoBackend('noble');
    expect(cryptoBackendName()).toBe('noble');
    setCryptoBackend('node');
    expect(cryptoBackendName()).toBe('node');
  });

  it('refuses an unknown backend name', () => {
    expect(() => setCryptoBackend('openssl' as 'node')).toThrow(CryptoError);
  });

  it.each(['noble', 'node'])('TSKRB_CRYPTO_BACKEND=%s is honoured at load time', async (name) => {
    vi.stubEnv('TSKRB_CRYPTO_BACKEND', name);
    vi.resetModules();
    const fresh = await import('../../src/crypto/index.js');
    expect(fresh.cryptoBackendName()).toBe(name);
  });

  it('a bad TSKRB_CRYPTO_BACKEND fails loudly', async () => {
    vi.stubEnv('TSKRB_CRYPTO_BACKEND', 'fast');
    vi.resetModules();
    await expect(import('../../src/crypto/index.js')).rejects.toThrow(/noble, node or auto/);
  });

  it('works with no node:crypto at all (falls back to noble; forcing node is an error)', async () => {
    const proc = globalThis.process as unknown as Proc;
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      vi.resetModules();
      const fresh = await import('../../src/crypto/index.js');
      expect(fresh.cryptoBackendName()).toBe('noble');
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

describe('noble and node give byte-identical results', () => {
  const both = <T>(f: () => T): [T, T] => {
    setCryptoBackend('noble');
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
