/**
 * The MD5 compression function (RFC 1321 3.4), reading the message words straight from the caller's bytes, for the
 * pure backend and the node backend's short messages: rc4-hmac (RFC 4757) and KERB_CHECKSUM_HMAC_MD5 (every
 * PA-FOR-USER) are HMAC-MD5, and GSS channel bindings are an MD5. Not for new designs.
 */
import type { Compression } from './fips180.js';

/**
 * T[i] = floor(2^32 · |sin(i + 1)|) (3.4). Every product lies at least 2^-6 from an integer while Math.sin is off by
 * at most an ulp (2^-21 after scaling) in any engine, so the floor is exact everywhere.
 */
const T = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32));

const X = new Int32Array(16);

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** RFC 1321 3.4 over `blocks` 64-byte blocks of `data` from `at`, updating the 4-word `state`. */
function compress(state: Int32Array, data: Uint8Array, at: number, blocks: number): void {
  const x = X;
  const t = T;
  let h0 = state[0]!;
  let h1 = state[1]!;
  let h2 = state[2]!;
  let h3 = state[3]!;
  for (let n = 0; n < blocks; n++, at += 64) {
    // Little-endian message words read in place (no helper call: bundlers may turn an imported one into a property load).
    for (let j = 0, i = at; j < 16; j++, i += 4)
      x[j] = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    // Each round is 16 steps [abcd k s i]: a = b + ((a + f(b,c,d) + X[k] + T[i]) <<< s), the registers taking turns
    // as a; four steps per iteration keep the shifts constant. The functions are the RFC's, rewritten with fewer
    // operations: F = (x & y) | (~x & z) = z ^ (x & (y ^ z)), G = (x & z) | (y & ~z) = y ^ (z & (x ^ y)).
    for (let i = 0; i < 16; i += 4) {
      a = (b + rotl(a + (d ^ (b & (c ^ d))) + x[i]! + t[i]!, 7)) | 0;
      d = (a + rotl(d + (c ^ (a & (b ^ c))) + x[i + 1]! + t[i + 1]!, 12)) | 0;
      c = (d + rotl(c + (b ^ (d & (a ^ b))) + x[i + 2]! + t[i + 2]!, 17)) | 0;
      b = (c + rotl(b + (a ^ (c & (d ^ a))) + x[i + 3]! + t[i + 3]!, 22)) | 0;
    }
    // Round 2 takes X[(1 + 5i) mod 16], round 3 X[(5 + 3i) mod 16], round 4 X[7i mod 16].
    for (let i = 0; i < 16; i += 4) {
      a = (b + rotl(a + (c ^ (d & (b ^ c))) + x[(1 + 5 * i) & 15]! + t[16 + i]!, 5)) | 0;
      d = (a + rotl(d + (b ^ (c & (a ^ b))) + x[(6 + 5 * i) & 15]! + t[17 + i]!, 9)) | 0;
      c = (d + rotl(c + (a ^ (b & (d ^ a))) + x[(11 + 5 * i) & 15]! + t[18 + i]!, 14)) | 0;
      b = (c + rotl(b + (d ^ (a & (c ^ d))) + x[(5 * i) & 15]! + t[19 + i]!, 20)) | 0;
    }
    for (let i = 0; i < 16; i += 4) {
      a = (b + rotl(a + (b ^ c ^ d) + x[(5 + 3 * i) & 15]! + t[32 + i]!, 4)) | 0;
      d = (a + rotl(d + (a ^ b ^ c) + x[(8 + 3 * i) & 15]! + t[33 + i]!, 11)) | 0;
      c = (d + rotl(c + (d ^ a ^ b) + x[(11 + 3 * i) & 15]! + t[34 + i]!, 16)) | 0;
      b = (c + rotl(b + (c ^ d ^ a) + x[(14 + 3 * i) & 15]! + t[35 + i]!, 23)) | 0;
    }
    for (let i = 0; i < 16; i += 4) {
      a = (b + rotl(a + (c ^ (b | ~d)) + x[(7 * i) & 15]! + t[48 + i]!, 6)) | 0;
      d = (a + rotl(d + (b ^ (a | ~c)) + x[(7 + 7 * i) & 15]! + t[49 + i]!, 10)) | 0;
      c = (d + rotl(c + (a ^ (d | ~b)) + x[(14 + 7 * i) & 15]! + t[50 + i]!, 15)) | 0;
      b = (c + rotl(b + (d ^ (c | ~a)) + x[(21 + 7 * i) & 15]! + t[51 + i]!, 21)) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
  }
  state[0] = h0;
  state[1] = h1;
  state[2] = h2;
  state[3] = h3;
  x.fill(0);
}

/** MD5 (RFC 1321) as a compression function for the shared hasher and HMAC (fips180.ts, hmac-fips198.ts). */
export const md5Compression: Compression = {
  blockLen: 64,
  outputLen: 16,
  // RFC 1321 3.3: A = 01 23 45 67 low-order byte first, and so on.
  iv: Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476),
  littleEndian: true,
  compress,
};
