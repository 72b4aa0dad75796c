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

/** Little-endian 32-bit word of `b` at `o` (noble's round functions take LE words; any alignment). */
function le(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
}
function putLe(b: Uint8Array, o: number, w: number): void {
  b[o] = w;
  b[o + 1] = w >>> 8;
  b[o + 2] = w >>> 16;
  b[o + 3] = w >>> 24;
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
    const out = new Uint8Array(scratch.length);
    let s0 = le(iv, 0);
    let s1 = le(iv, 4);
    let s2 = le(iv, 8);
    let s3 = le(iv, 12);
    for (let o = 0; o < scratch.length; o += BLOCK) {
      const r = encrypt(
        xk,
        s0 ^ le(scratch, o),
        s1 ^ le(scratch, o + 4),
        s2 ^ le(scratch, o + 8),
        s3 ^ le(scratch, o + 12),
      );
      s0 = r.s0;
      s1 = r.s1;
      s2 = r.s2;
      s3 = r.s3;
      putLe(out, o, s0);
      putLe(out, o + 4, s1);
      putLe(out, o + 8, s2);
      putLe(out, o + 12, s3);
    }
    return out;
  }

  cbcDecrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    checkBlocks(data);
    this.#dec ??= this.#aes.expandKeyDecLE(this.#key);
    const xk = this.#dec;
    const decrypt = this.#aes.decrypt;
    const out = new Uint8Array(data.length);
    let p0 = le(iv, 0);
    let p1 = le(iv, 4);
    let p2 = le(iv, 8);
    let p3 = le(iv, 12);
    for (let o = 0; o < data.length; o += BLOCK) {
      const c0 = le(data, o);
      const c1 = le(data, o + 4);
      const c2 = le(data, o + 8);
      const c3 = le(data, o + 12);
      const r = decrypt(xk, c0, c1, c2, c3);
      putLe(out, o, r.s0 ^ p0);
      putLe(out, o + 4, r.s1 ^ p1);
      putLe(out, o + 8, r.s2 ^ p2);
      putLe(out, o + 12, r.s3 ^ p3);
      p0 = c0;
      p1 = c1;
      p2 = c2;
      p3 = c3;
    }
    return out;
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
