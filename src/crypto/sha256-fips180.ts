/**
 * The SHA-256 compression function (FIPS 180-4 6.2.2), reading the message words straight from the caller's bytes,
 * for the pure backend's HMAC (hmac-fips198.ts) of RFC 8009's etype 19.
 */
import { type Compression, primes, rootFraction } from './fips180.js';

// K (4.2.2): cube roots of the first 64 primes, 32 bits each.
const K = Int32Array.from(primes(64), (p) => rootFraction(p, 3)[0]);
const W = new Int32Array(64);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** FIPS 180-4 6.2.2 over `blocks` 64-byte blocks of `data` from `at`, updating the 8-word `state`. */
function compress(state: Int32Array, data: Uint8Array, at: number, blocks: number): void {
  const w = W;
  const k = K;
  let h0 = state[0]!;
  let h1 = state[1]!;
  let h2 = state[2]!;
  let h3 = state[3]!;
  let h4 = state[4]!;
  let h5 = state[5]!;
  let h6 = state[6]!;
  let h7 = state[7]!;
  for (let n = 0; n < blocks; n++, at += 64) {
    // Big-endian message words read in place (no helper call: bundlers may turn an imported one into a property load).
    for (let t = 0, i = at; t < 16; t++, i += 4)
      w[t] = (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
    for (let t = 16; t < 64; t++) {
      // σ1 = ROTR17 ^ ROTR19 ^ SHR10, σ0 = ROTR7 ^ ROTR18 ^ SHR3 (4.1.2).
      const x = w[t - 2]!;
      const y = w[t - 15]!;
      const s1 = rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10);
      const s0 = rotr(y, 7) ^ rotr(y, 18) ^ (y >>> 3);
      w[t] = (s1 + w[t - 7]! + s0 + w[t - 16]!) | 0;
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let f = h5;
    let g = h6;
    let h = h7;
    for (let t = 0; t < 64; t++) {
      // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]; T2 = Σ0(a) + Maj(a, b, c).
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[t]! + w[t]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  state[0] = h0;
  state[1] = h1;
  state[2] = h2;
  state[3] = h3;
  state[4] = h4;
  state[5] = h5;
  state[6] = h6;
  state[7] = h7;
  w.fill(0);
}

/** SHA-256 (FIPS 180-4 6.2) as a compression function for HMAC; H(0) (5.3.3) is square roots of the first 8 primes. */
export const sha256Compression: Compression = {
  blockLen: 64,
  outputLen: 32,
  iv: Int32Array.from(primes(8), (p) => rootFraction(p, 2)[0]),
  littleEndian: false,
  compress,
};
