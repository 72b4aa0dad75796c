/**
 * PBKDF2 (RFC 8018 5.2) with HMAC over our FIPS 180-4 hashes, for the pure backend's string-to-key: the password
 * is prepared once as an HMAC key, so each of the thousands of iterations costs two compressions and no pad work.
 */
import { CryptoError } from '../errors.js';
import type { Compression } from './fips180.js';
import { PreparedHmac } from './hmac-fips198.js';

/** PBKDF2-HMAC-`h` of `password` and `salt`: `dkLen` bytes after `iterations` rounds. */
export function pbkdf2(
  h: Compression,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
): Uint8Array {
  if (!Number.isSafeInteger(iterations) || iterations < 1)
    throw new CryptoError(`PBKDF2 iteration count must be a positive integer, got ${iterations}`);
  if (!Number.isSafeInteger(dkLen) || dkLen < 1)
    throw new CryptoError(`PBKDF2 key length must be a positive integer, got ${dkLen}`);
  const prf = new PreparedHmac(h, password);
  const out = new Uint8Array(dkLen);
  const index = new Uint8Array(4);
  const t = new Uint8Array(h.outputLen);
  for (let i = 1, at = 0; at < dkLen; i++, at += h.outputLen) {
    // T_i = U_1 xor … xor U_c, U_1 = PRF(P, S || INT(i)), U_j = PRF(P, U_{j-1}).
    new DataView(index.buffer).setUint32(0, i, false);
    let u = prf.mac(salt, index);
    t.set(u);
    for (let j = 1; j < iterations; j++) {
      const next = prf.mac(u);
      u.fill(0);
      u = next;
      for (let k = 0; k < t.length; k++) t[k]! ^= u[k]!;
    }
    u.fill(0);
    out.set(t.subarray(0, Math.min(t.length, dkLen - at)), at);
  }
  t.fill(0);
  return out;
}
