/**
 * Backend on `node:crypto` (OpenSSL): AES, HMAC and PBKDF2 only. The module is fetched at run time
 * with `process.getBuiltinModule` (Node >= 20.16), so bundles for other runtimes never see it.
 */
import type { CryptoBackend } from './backend.js';

/** Output of node's hash/HMAC/cipher objects: a Buffer, seen here only as a Uint8Array. */
interface NodeDigest {
  update(data: Uint8Array): NodeDigest;
  digest(): Uint8Array;
}
interface NodeCipher {
  setAutoPadding(on: boolean): NodeCipher;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}
/** The part of `node:crypto` this backend uses. */
interface NodeCrypto {
  createCipheriv(alg: string, key: Uint8Array, iv: Uint8Array | null): NodeCipher;
  createDecipheriv(alg: string, key: Uint8Array, iv: Uint8Array | null): NodeCipher;
  createHash(alg: string): NodeDigest;
  createHmac(alg: string, key: Uint8Array): NodeDigest;
  pbkdf2Sync(
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    keylen: number,
    digest: string,
  ): Uint8Array;
  getCiphers(): string[];
}

/** Copies a Buffer-like result into a plain Uint8Array so no Buffer escapes into the core. */
function plain(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

function cbcName(key: Uint8Array): string {
  return `aes-${key.length * 8}-cbc`;
}

function run(c: NodeCipher, data: Uint8Array): Uint8Array {
  c.setAutoPadding(false);
  const a = c.update(data);
  const b = c.final();
  if (b.length === 0) return plain(a);
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function makeBackend(nc: NodeCrypto): CryptoBackend {
  return {
    name: 'node',
    aesCbcEncrypt: (key, iv, data) => run(nc.createCipheriv(cbcName(key), key, iv), data),
    aesCbcDecrypt: (key, iv, data) => run(nc.createDecipheriv(cbcName(key), key, iv), data),
    hash: (alg, data) => plain(nc.createHash(alg).update(data).digest()),
    hmac: (alg, key, data) => plain(nc.createHmac(alg, key).update(data).digest()),
    pbkdf2: (alg, password, salt, iterations, dkLen) =>
      plain(nc.pbkdf2Sync(password, salt, iterations, dkLen, alg)),
  };
}

let cached: CryptoBackend | null | undefined;

/** The node backend, or `null` when this runtime has no usable `node:crypto`. */
export function loadNodeBackend(): CryptoBackend | null {
  if (cached !== undefined) return cached;
  cached = null;
  const proc = globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined;
  const mod = proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
  if (mod && typeof mod.createCipheriv === 'function') {
    const ciphers = mod.getCiphers();
    if (['aes-128-cbc', 'aes-256-cbc'].every((c) => ciphers.includes(c))) cached = makeBackend(mod);
  }
  return cached;
}
