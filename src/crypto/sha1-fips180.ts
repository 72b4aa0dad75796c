/**
 * The SHA-1 compression function (FIPS 180-4 6.1.2), reading the message words straight from the caller's bytes,
 * for the pure backend. SHA-1 is here only because RFC 3962's enctypes use it (HMAC-SHA1, the PRF's SHA-1).
 */
import type { Compression } from './fips180.js';

const W = new Int32Array(80);

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** FIPS 180-4 6.1.2 over `blocks` 64-byte blocks of `data` from `at`, updating the 5-word `state`. */
function compress(state: Int32Array, data: Uint8Array, at: number, blocks: number): void {
  const w = W;
  let h0 = state[0]!;
  let h1 = state[1]!;
  let h2 = state[2]!;
  let h3 = state[3]!;
  let h4 = state[4]!;
  for (let n = 0; n < blocks; n++, at += 64) {
    // Big-endian message words read in place (no helper call: bundlers may turn an imported one into a property load).
    for (let t = 0, i = at; t < 16; t++, i += 4)
      w[t] = (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
    for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    // The four 20-step stages of 6.1.2 step 3, each with its own f_t and K_t (4.1.1, 4.2.1).
    for (let t = 0; t < 20; t++) {
      const x = (rotl(a, 5) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]!) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = x;
    }
    for (let t = 20; t < 40; t++) {
      const x = (rotl(a, 5) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]!) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = x;
    }
    for (let t = 40; t < 60; t++) {
      const x = (rotl(a, 5) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[t]!) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = x;
    }
    for (let t = 60; t < 80; t++) {
      const x = (rotl(a, 5) + (b ^ c ^ d) + e + 0xca62c1d6 + w[t]!) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = x;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  state[0] = h0;
  state[1] = h1;
  state[2] = h2;
  state[3] = h3;
  state[4] = h4;
  w.fill(0);
}

/** SHA-1 (FIPS 180-4 6.1) as a compression function for HMAC. */
export const sha1Compression: Compression = {
  blockLen: 64,
  outputLen: 20,
  // FIPS 180-4 5.3.1.
  iv: Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0),
  littleEndian: false,
  compress,
};
