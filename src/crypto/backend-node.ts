/**
 * Backend on `node:crypto` (OpenSSL): AES, HMAC and PBKDF2 only. The module is fetched at run time
 * with `process.getBuiltinModule` (Node >= 20.16), so bundles for other runtimes never see it.
 */
import { CryptoError } from '../errors.js';
import type { AesKey, CryptoBackend, HashName, HmacKey } from './backend.js';
import { pureBackend } from './backend-pure.js';

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

const BLOCK = 16;

/**
 * A Buffer from node:crypto as a plain Uint8Array, so no Buffer (whose `slice` is a view) escapes into the core.
 * Cipher and digest outputs own their whole ArrayBuffer, so a view over it is enough; anything else is copied.
 */
function plain(b: Uint8Array): Uint8Array {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return new Uint8Array(b.buffer, 0, b.length);
  // Not Uint8Array.prototype.slice: it builds its result with the Buffer's own constructor (species).
  return new Uint8Array(b);
}

/** `last` := the final block of `from`, copied by hand: a subarray would be one more object per call. */
function keepLastBlock(last: Uint8Array, from: Uint8Array): void {
  const at = from.length - BLOCK;
  for (let i = 0; i < BLOCK; i++) last[i] = from[at + i]!;
}

function checkBlocks(data: Uint8Array): void {
  if (data.length === 0 || data.length % BLOCK !== 0)
    throw new CryptoError(`AES-CBC input must be whole 16-byte blocks, got ${data.length} bytes`);
}

/**
 * AES-CBC through one encrypting and one decrypting OpenSSL context per key, created on first use and kept:
 * creating a context costs more than the cipher work on a Kerberos-sized message. A kept context chains from the
 * last ciphertext block it saw, so each call corrects the first block for that (`last`) and the requested IV:
 * encryption pre-whitens the first plaintext block with last ⊕ iv, decryption fixes the first output block
 * the same way. Inputs are whole blocks with padding off, so OpenSSL never holds bytes back between calls.
 */
class NodeAesKey implements AesKey {
  readonly #nc: NodeCrypto;
  readonly #key: Uint8Array;
  #enc: NodeCipher | undefined;
  #dec: NodeCipher | undefined;
  /**
   * Last ciphertext block each context chained from (its IV when new: zero), made with the context: most keys only
   * ever encrypt (a base key deriving) or only decrypt (a Ke that opens one reply).
   */
  #encLast: Uint8Array | undefined;
  #decLast: Uint8Array | undefined;

  constructor(nc: NodeCrypto, key: Uint8Array) {
    this.#nc = nc;
    this.#key = key.slice();
  }

  get #alg(): string {
    return `aes-${this.#key.length * 8}-cbc`;
  }

  cbcEncrypt(iv: Uint8Array, scratch: Uint8Array): Uint8Array {
    checkBlocks(scratch);
    this.#encLast ??= new Uint8Array(BLOCK);
    const last = this.#encLast;
    for (let i = 0; i < BLOCK; i++) scratch[i]! ^= last[i]! ^ iv[i]!;
    let out: Uint8Array;
    try {
      this.#enc ??= this.#nc.createCipheriv(this.#alg, this.#key, last).setAutoPadding(false);
      out = this.#enc.update(scratch);
    } catch (e) {
      this.#enc = undefined;
      last.fill(0);
      throw e;
    }
    keepLastBlock(last, out);
    return plain(out);
  }

  cbcDecrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    checkBlocks(data);
    this.#decLast ??= new Uint8Array(BLOCK);
    const last = this.#decLast;
    let out: Uint8Array;
    try {
      this.#dec ??= this.#nc.createDecipheriv(this.#alg, this.#key, last).setAutoPadding(false);
      out = plain(this.#dec.update(data));
    } catch (e) {
      this.#dec = undefined;
      last.fill(0);
      throw e;
    }
    for (let i = 0; i < BLOCK; i++) out[i]! ^= last[i]! ^ iv[i]!;
    keepLastBlock(last, data);
    return out;
  }
}

/**
 * Up to how many message bytes a hash runs faster in JavaScript (the pure backend's MD5 and SHA, key pads absorbed
 * once) than through node:crypto, whose per-message Hmac or Hash object costs about 1.5 µs and a GC-tracked native
 * handle (bench/crypto-vs-mit.ts, checksum rows: pure beats node below about 600 bytes for SHA-1, 400 for SHA-256;
 * bench/pure-primitives.bench.ts, MD5 rows: pure beats node below about 550 bytes for a hash, 850 for an HMAC;
 * SHA-384's 64-bit words are slow in JavaScript). MD5 and SHA are arithmetic only, no secret-indexed tables: as
 * constant-time in JavaScript as in C. SHA-512 always goes to node.
 */
const JS_HASH_MAX: Partial<Record<HashName, number>> = { md5: 512, sha1: 512, sha256: 320 };

/** Whether a message of `n` bytes is hashed in JavaScript (see JS_HASH_MAX). */
const inJs = (alg: HashName, n: number): boolean => n <= (JS_HASH_MAX[alg] ?? -1);

function makeBackend(nc: NodeCrypto): CryptoBackend {
  return {
    name: 'node',
    aesKey: (key) => new NodeAesKey(nc, key),
    hmacKey(alg: HashName, key: Uint8Array): HmacKey {
      const k = key.slice();
      let js: HmacKey | undefined;
      return {
        mac(a, b) {
          if (inJs(alg, a.length + (b?.length ?? 0))) {
            js ??= pureBackend.hmacKey(alg, k);
            return js.mac(a, b);
          }
          const h = nc.createHmac(alg, k).update(a);
          return plain((b === undefined ? h : h.update(b)).digest());
        },
      };
    },
    hash: (alg, data) =>
      inJs(alg, data.length) ? pureBackend.hash(alg, data) : plain(nc.createHash(alg).update(data).digest()),
    hmac: (alg, key, data) =>
      inJs(alg, data.length)
        ? pureBackend.hmac(alg, key, data)
        : plain(nc.createHmac(alg, key).update(data).digest()),
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
