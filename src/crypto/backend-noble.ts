/** Pure-JS backend on @noble/ciphers and @noble/hashes: runs in every JavaScript runtime. */
import * as aes from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../errors.js';
import type { AesKey, CryptoBackend, HashName, HmacKey } from './backend.js';

const HASHES = { sha1, sha256, sha384, sha512, md5 } as const;
const BLOCK = 16;

function hashOf(alg: HashName) {
  return HASHES[alg];
}

function checkBlocks(data: Uint8Array): void {
  if (data.length === 0 || data.length % BLOCK !== 0)
    throw new CryptoError(`AES-CBC input must be whole 16-byte blocks, got ${data.length} bytes`);
}

/** Little-endian 32-bit word of `b` at `o` (noble's round functions take LE words). */
function le(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
}

const LITTLE_ENDIAN = new Uint8Array(Int32Array.of(1).buffer)[0] === 1;

/**
 * `b` (whole blocks) as little-endian 32-bit words: a view when the host is little-endian and `b` is aligned, else
 * a copy. Signed words, so the values stay small integers for the JIT.
 */
function words(b: Uint8Array): Int32Array {
  if (LITTLE_ENDIAN && b.byteOffset % 4 === 0) return new Int32Array(b.buffer, b.byteOffset, b.length / 4);
  const w = new Int32Array(b.length / 4);
  for (let i = 0; i < w.length; i++) w[i] = le(b, 4 * i);
  return w;
}

/** The bytes of little-endian words `w` (a view over `w` on little-endian hosts). */
function bytes(w: Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(w.buffer, w.byteOffset, w.length * 4);
  const b = new Uint8Array(w.length * 4);
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    b[4 * i] = v;
    b[4 * i + 1] = v >>> 8;
    b[4 * i + 2] = v >>> 16;
    b[4 * i + 3] = v >>> 24;
  }
  return b;
}

/**
 * AES-CBC on key schedules expanded once per key (noble's `cbc()` expands the key on every call, which costs
 * more than the cipher work on a short message). The CBC chaining is ours; the block function is noble's.
 */
class NobleAesKey implements AesKey {
  readonly #aes: typeof aes.unsafe;
  readonly #key: Uint8Array;
  #enc: Uint32Array | undefined;
  #dec: Uint32Array | undefined;

  constructor(blockFunctions: typeof aes.unsafe, key: Uint8Array) {
    this.#aes = blockFunctions;
    this.#key = key.slice();
  }

  cbcEncrypt(iv: Uint8Array, scratch: Uint8Array): Uint8Array {
    checkBlocks(scratch);
    this.#enc ??= this.#aes.expandKeyLE(this.#key);
    const xk = this.#enc;
    const encrypt = this.#aes.encrypt;
    const w = words(scratch);
    const out = new Int32Array(w.length);
    let s0 = le(iv, 0);
    let s1 = le(iv, 4);
    let s2 = le(iv, 8);
    let s3 = le(iv, 12);
    for (let i = 0; i < w.length; i += 4) {
      const r = encrypt(xk, s0 ^ w[i]!, s1 ^ w[i + 1]!, s2 ^ w[i + 2]!, s3 ^ w[i + 3]!);
      s0 = r.s0;
      s1 = r.s1;
      s2 = r.s2;
      s3 = r.s3;
      out[i] = s0;
      out[i + 1] = s1;
      out[i + 2] = s2;
      out[i + 3] = s3;
    }
    return bytes(out);
  }

  cbcDecrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    checkBlocks(data);
    this.#dec ??= this.#aes.expandKeyDecLE(this.#key);
    const xk = this.#dec;
    const decrypt = this.#aes.decrypt;
    const w = words(data);
    const out = new Int32Array(w.length);
    let p0 = le(iv, 0);
    let p1 = le(iv, 4);
    let p2 = le(iv, 8);
    let p3 = le(iv, 12);
    for (let i = 0; i < w.length; i += 4) {
      const c0 = w[i]!;
      const c1 = w[i + 1]!;
      const c2 = w[i + 2]!;
      const c3 = w[i + 3]!;
      const r = decrypt(xk, c0, c1, c2, c3);
      out[i] = r.s0 ^ p0;
      out[i + 1] = r.s1 ^ p1;
      out[i + 2] = r.s2 ^ p2;
      out[i + 3] = r.s3 ^ p3;
      p0 = c0;
      p1 = c1;
      p2 = c2;
      p3 = c3;
    }
    return bytes(out);
  }
}

// noble documents `unsafe` as internal and subject to change: read it through the namespace, so that a release
// without it still loads, and fall back to the public `cbc()` (which expands the key on every call).
const unsafe = (aes as { unsafe?: Partial<typeof aes.unsafe> }).unsafe;
const blocks =
  typeof unsafe?.expandKeyLE === 'function' &&
  typeof unsafe.expandKeyDecLE === 'function' &&
  typeof unsafe.encrypt === 'function' &&
  typeof unsafe.decrypt === 'function'
    ? (unsafe as typeof aes.unsafe)
    : undefined;

/** The same contract on noble's public `cbc()`. */
const publicCbcKey = (key: Uint8Array): AesKey => {
  const k = key.slice();
  return {
    cbcEncrypt: (iv, scratch) => aes.cbc(k, iv, { disablePadding: true }).encrypt(scratch),
    cbcDecrypt: (iv, data) => aes.cbc(k, iv, { disablePadding: true }).decrypt(data),
  };
};

/** HMAC with the key pads absorbed once; each message starts from a copy of that state, made into one kept instance. */
function nobleHmacKey(alg: HashName, key: Uint8Array): HmacKey {
  const keyed = hmac.create(hashOf(alg), key);
  const work = keyed.clone();
  return {
    mac(a, b) {
      keyed._cloneInto(work).update(a);
      if (b !== undefined) work.update(b);
      return work.digest();
    },
  };
}

/** The @noble backend. */
export const nobleBackend: CryptoBackend = {
  name: 'noble',
  aesKey: (key) => (blocks ? new NobleAesKey(blocks, key) : publicCbcKey(key)),
  hmacKey: nobleHmacKey,
  hash: (alg, data) => hashOf(alg)(data),
  hmac: (alg, key, data) => hmac(hashOf(alg), key, data),
  pbkdf2: (alg, password, salt, iterations, dkLen) =>
    pbkdf2(hashOf(alg), password, salt, { c: iterations, dkLen }),
};
