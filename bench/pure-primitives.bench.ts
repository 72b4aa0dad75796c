/**
 * The pure backend's own primitives (aes-fips197.ts, sha*-fips180.ts and md5-rfc1321.ts under hmac-fips198.ts,
 * pbkdf2-rfc8018.ts) beside @noble's, on the sizes Kerberos sends (96 B, 1 KiB, 16 KiB plus a confounder), keys prepared
 * once as the Kerberos layer keeps them: the evidence for what backend-pure.ts uses. noble's AES runs as that backend
 * drove it before (schedules expanded once, its block functions in our CBC loop), its HMAC from a kept keyed state cloned
 * per message. MD5 also runs through node:crypto as the node backend calls it (one Hash or Hmac object per message), the
 * evidence for backend-node.ts's JS_HASH_MAX.md5.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as aes from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { bench, describe } from 'vitest';
import { aesCbcDecrypt, aesCbcEncrypt, aesDecryptionKey, aesExpandKey } from '../src/crypto/aes-fips197.js';
import { fips180Digest } from '../src/crypto/fips180.js';
import { PreparedHmac } from '../src/crypto/hmac-fips198.js';
import { md5Compression } from '../src/crypto/md5-rfc1321.js';
import { pbkdf2 } from '../src/crypto/pbkdf2-rfc8018.js';
import { sha1Compression } from '../src/crypto/sha1-fips180.js';
import { sha256Compression } from '../src/crypto/sha256-fips180.js';
import { sha384Compression } from '../src/crypto/sha512-fips180.js';

const OPTS = { time: 300, warmupTime: 50 };
const SIZES = [96 + 16, 1024 + 16, 16384 + 16];

function nobleCbcEncrypt(xk: Uint32Array, src: Uint8Array): Uint8Array {
  const w = new Int32Array(src.buffer, src.byteOffset, src.length / 4);
  const out = new Int32Array(w.length);
  let s = { s0: 0, s1: 0, s2: 0, s3: 0 };
  for (let i = 0; i < w.length; i += 4) {
    s = aes.unsafe.encrypt(xk, s.s0 ^ w[i]!, s.s1 ^ w[i + 1]!, s.s2 ^ w[i + 2]!, s.s3 ^ w[i + 3]!);
    out.set([s.s0, s.s1, s.s2, s.s3], i);
  }
  return new Uint8Array(out.buffer);
}

function nobleCbcDecrypt(xk: Uint32Array, src: Uint8Array): Uint8Array {
  const w = new Int32Array(src.buffer, src.byteOffset, src.length / 4);
  const out = new Int32Array(w.length);
  for (let i = 0; i < w.length; i += 4) {
    const r = aes.unsafe.decrypt(xk, w[i]!, w[i + 1]!, w[i + 2]!, w[i + 3]!);
    const p = i === 0 ? [0, 0, 0, 0] : w.subarray(i - 4, i);
    out.set([r.s0 ^ p[0]!, r.s1 ^ p[1]!, r.s2 ^ p[2]!, r.s3 ^ p[3]!], i);
  }
  return new Uint8Array(out.buffer);
}

describe.each(SIZES)('AES-256-CBC, %i bytes', (size) => {
  const key = randomBytes(32);
  const iv = new Uint8Array(16);
  const data = new Uint8Array(randomBytes(size));
  const nobleEnc = aes.unsafe.expandKeyLE(key);
  const nobleDec = aes.unsafe.expandKeyDecLE(key);
  const xk = aesExpandKey(key);
  const xd = aesDecryptionKey(xk);
  bench('encrypt: @noble/ciphers', () => void nobleCbcEncrypt(nobleEnc, data), OPTS);
  bench('encrypt: aes-fips197', () => aesCbcEncrypt(xk, iv, data, new Uint8Array(size)), OPTS);
  bench('decrypt: @noble/ciphers', () => void nobleCbcDecrypt(nobleDec, data), OPTS);
  bench('decrypt: aes-fips197', () => aesCbcDecrypt(xd, iv, data, new Uint8Array(size)), OPTS);
});

describe.each([
  ['sha1', sha1, sha1Compression],
  ['sha256', sha256, sha256Compression],
  ['sha384', sha384, sha384Compression],
] as const)('HMAC-%s', (_name, nobleHash, compression) => {
  for (const size of SIZES) {
    const key = randomBytes(32);
    const data = new Uint8Array(randomBytes(size));
    const keyed = hmac.create(nobleHash, key);
    const work = keyed.clone();
    const prepared = new PreparedHmac(compression, key);
    bench(`${size} bytes: @noble/hashes`, () => void keyed._cloneInto(work).update(data).digest(), OPTS);
    bench(`${size} bytes: hmac-fips198`, () => void prepared.mac(data), OPTS);
  }
});

describe.each(SIZES)('MD5, %i bytes: hash and HMAC, ours, noble and node:crypto', (size) => {
  const key = randomBytes(16);
  const data = new Uint8Array(randomBytes(size));
  const keyed = hmac.create(md5, key);
  const work = keyed.clone();
  const prepared = new PreparedHmac(md5Compression, key);
  bench('hash: md5-rfc1321', () => void fips180Digest(md5Compression, data), OPTS);
  bench('hash: @noble/hashes', () => void md5(data), OPTS);
  bench('hash: node:crypto', () => void createHash('md5').update(data).digest(), OPTS);
  bench('HMAC: hmac-fips198 on md5-rfc1321', () => void prepared.mac(data), OPTS);
  bench('HMAC: @noble/hashes', () => void keyed._cloneInto(work).update(data).digest(), OPTS);
  bench('HMAC: node:crypto', () => void createHmac('md5', key).update(data).digest(), OPTS);
});

describe.each([
  ['sha1', sha1, sha1Compression, 32],
  ['sha256', sha256, sha256Compression, 16],
  ['sha384', sha384, sha384Compression, 32],
  ['md5', md5, md5Compression, 16],
] as const)('PBKDF2-HMAC-%s, 4096 iterations', (_name, nobleHash, compression, dkLen) => {
  const password = new TextEncoder().encode('benchmark password');
  const salt = new TextEncoder().encode('EXAMPLE.COMuser');
  bench('@noble/hashes', () => void noblePbkdf2(nobleHash, password, salt, { c: 4096, dkLen }), OPTS);
  bench('pbkdf2-rfc8018', () => void pbkdf2(compression, password, salt, 4096, dkLen), OPTS);
});
