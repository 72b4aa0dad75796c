/**
 * Pure-JS backend: our AES (aes-fips197.ts), MD5 and SHA-1/256/384 with HMAC and PBKDF2 on them (md5-rfc1321.ts,
 * fips180.ts, hmac-fips198.ts, pbkdf2-rfc8018.ts), and @noble/hashes for SHA-512; runs in every JavaScript runtime.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../errors.js';
import { aesCbcDecrypt, aesCbcEncrypt, aesDecryptionKey, aesExpandKey } from './aes-fips197.js';
import type { AesKey, CryptoBackend, HashName, HmacKey } from './backend.js';
import { type Compression, fips180Digest } from './fips180.js';
import { PreparedHmac } from './hmac-fips198.js';
import { md5Compression } from './md5-rfc1321.js';
import { pbkdf2 } from './pbkdf2-rfc8018.js';
import { sha1Compression } from './sha1-fips180.js';
import { sha256Compression } from './sha256-fips180.js';
import { sha384Compression } from './sha512-fips180.js';

const BLOCK = 16;

/**
 * The hashes whose HMAC runs on our own compression functions, which hash straight from the message bytes and
 * allocate nothing per message; each measured faster than @noble/hashes' in bench/pure-primitives.bench.ts.
 */
const COMPRESSIONS: Partial<Record<HashName, Compression>> = {
  md5: md5Compression,
  sha1: sha1Compression,
  sha256: sha256Compression,
  sha384: sha384Compression,
};

/** The @noble/hashes function for a hash without a compression of ours: SHA-512 (TLS channel bindings, RFC 5929). */
function hashOf(alg: HashName) {
  if (alg !== 'sha512') throw new CryptoError(`pure backend: no ${alg}`);
  return sha512;
}

function checkBlocks(data: Uint8Array): void {
  if (data.length === 0 || data.length % BLOCK !== 0)
    throw new CryptoError(`AES-CBC input must be whole 16-byte blocks, got ${data.length} bytes`);
}

/**
 * AES-CBC on key schedules expanded once per key, with our own AES (aes-fips197.ts): @noble/ciphers' `cbc()`
 * expands the key on every call, and even its block functions driven with a kept schedule take 1.4 to 1.7 times as
 * long as ours on Kerberos sizes (bench/pure-primitives.bench.ts).
 */
class PureAesKey implements AesKey {
  readonly #enc: Int32Array;
  #dec: Int32Array | undefined;

  constructor(key: Uint8Array) {
    this.#enc = aesExpandKey(key);
  }

  cbcEncrypt(iv: Uint8Array, scratch: Uint8Array): Uint8Array {
    checkBlocks(scratch);
    const out = new Uint8Array(scratch.length);
    aesCbcEncrypt(this.#enc, iv, scratch, out);
    return out;
  }

  cbcDecrypt(iv: Uint8Array, data: Uint8Array): Uint8Array {
    checkBlocks(data);
    this.#dec ??= aesDecryptionKey(this.#enc);
    const out = new Uint8Array(data.length);
    aesCbcDecrypt(this.#dec, iv, data, out);
    return out;
  }
}

/**
 * HMAC with the key pads absorbed once: our PreparedHmac, or for SHA-512 a noble instance
 * whose keyed state is copied into one kept instance per message.
 */
function hmacKey(alg: HashName, key: Uint8Array): HmacKey {
  const own = COMPRESSIONS[alg];
  if (own !== undefined) return new PreparedHmac(own, key);
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

/** The pure backend: JavaScript only, for runtimes without node:crypto (also the node backend's short hashes). */
export const pureBackend: CryptoBackend = {
  name: 'pure',
  aesKey: (key) => new PureAesKey(key),
  hmacKey,
  hash(alg, data) {
    const own = COMPRESSIONS[alg];
    return own !== undefined ? fips180Digest(own, data) : hashOf(alg)(data);
  },
  hmac(alg, key, data) {
    const own = COMPRESSIONS[alg];
    return own !== undefined ? new PreparedHmac(own, key).mac(data) : hmac(hashOf(alg), key, data);
  },
  pbkdf2(alg, password, salt, iterations, dkLen) {
    const own = COMPRESSIONS[alg];
    return own !== undefined
      ? pbkdf2(own, password, salt, iterations, dkLen)
      : noblePbkdf2(hashOf(alg), password, salt, { c: iterations, dkLen });
  },
};
