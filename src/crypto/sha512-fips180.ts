/**
 * The SHA-512 compression function (FIPS 180-4 6.4.2) on 32-bit halves, reading the message straight from the
 * caller's bytes, and SHA-384 (6.5) on it, for the pure backend's HMAC (hmac-fips198.ts) of RFC 8009's etype 20.
 * JavaScript has no 64-bit integer arithmetic that is fast, so every 64-bit word is a (high, low) pair of int32s.
 */
import { type Compression, primes, rootFraction } from './fips180.js';

// K (4.2.3): cube roots of the first 80 primes.
const KH = new Int32Array(80);
const KL = new Int32Array(80);
primes(80).forEach((p, t) => {
  [KH[t], KL[t]] = rootFraction(p, 3);
});

const WH = new Int32Array(80);
const WL = new Int32Array(80);

/** FIPS 180-4 6.4.2 over `blocks` 128-byte blocks of `data` from `at`; `state` is 8 words as 16 (high, low) halves. */
function compress(state: Int32Array, data: Uint8Array, at: number, blocks: number): void {
  const wh = WH;
  const wl = WL;
  const kh = KH;
  const kl = KL;
  for (let n = 0; n < blocks; n++, at += 128) {
    // Big-endian message words read in place (no helper call: bundlers may turn an imported one into a property load).
    for (let t = 0, i = at; t < 16; t++, i += 8) {
      wh[t] = (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
      wl[t] = (data[i + 4]! << 24) | (data[i + 5]! << 16) | (data[i + 6]! << 8) | data[i + 7]!;
    }
    for (let t = 16; t < 80; t++) {
      // σ1(W[t-2]) = ROTR19 ^ ROTR61 ^ SHR6, σ0(W[t-15]) = ROTR1 ^ ROTR8 ^ SHR7 (4.1.3).
      const xh = wh[t - 2]!;
      const xl = wl[t - 2]!;
      const s1h = ((xh >>> 19) | (xl << 13)) ^ ((xl >>> 29) | (xh << 3)) ^ (xh >>> 6);
      const s1l = ((xl >>> 19) | (xh << 13)) ^ ((xh >>> 29) | (xl << 3)) ^ ((xl >>> 6) | (xh << 26));
      const yh = wh[t - 15]!;
      const yl = wl[t - 15]!;
      const s0h = ((yh >>> 1) | (yl << 31)) ^ ((yh >>> 8) | (yl << 24)) ^ (yh >>> 7);
      const s0l = ((yl >>> 1) | (yh << 31)) ^ ((yl >>> 8) | (yh << 24)) ^ ((yl >>> 7) | (yh << 25));
      const lo = (s1l >>> 0) + (wl[t - 7]! >>> 0) + (s0l >>> 0) + (wl[t - 16]! >>> 0);
      wh[t] = (s1h + wh[t - 7]! + s0h + wh[t - 16]! + ((lo / 0x100000000) | 0)) | 0;
      wl[t] = lo | 0;
    }
    let ah = state[0]!;
    let al = state[1]!;
    let bh = state[2]!;
    let bl = state[3]!;
    let ch = state[4]!;
    let cl = state[5]!;
    let dh = state[6]!;
    let dl = state[7]!;
    let eh = state[8]!;
    let el = state[9]!;
    let fh = state[10]!;
    let fl = state[11]!;
    let gh = state[12]!;
    let gl = state[13]!;
    let hh = state[14]!;
    let hl = state[15]!;
    for (let t = 0; t < 80; t++) {
      // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t], with Σ1 = ROTR14 ^ ROTR18 ^ ROTR41 (4.1.3).
      const s1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
      const s1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
      const choiceH = (eh & fh) ^ (~eh & gh);
      const choiceL = (el & fl) ^ (~el & gl);
      const t1l = (hl >>> 0) + (s1l >>> 0) + (choiceL >>> 0) + (kl[t]! >>> 0) + (wl[t]! >>> 0);
      const t1h = (hh + s1h + choiceH + kh[t]! + wh[t]! + ((t1l / 0x100000000) | 0)) | 0;
      // T2 = Σ0(a) + Maj(a, b, c), with Σ0 = ROTR28 ^ ROTR34 ^ ROTR39.
      const s0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
      const s0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
      const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
      hh = gh;
      hl = gl;
      gh = fh;
      gl = fl;
      fh = eh;
      fl = el;
      const el2 = (dl >>> 0) + (t1l >>> 0);
      eh = (dh + t1h + ((el2 / 0x100000000) | 0)) | 0;
      el = el2 | 0;
      dh = ch;
      dl = cl;
      ch = bh;
      cl = bl;
      bh = ah;
      bl = al;
      const al2 = (t1l >>> 0) + (s0l >>> 0) + (majl >>> 0);
      ah = (t1h + s0h + majh + ((al2 / 0x100000000) | 0)) | 0;
      al = al2 | 0;
    }
    addInto(state, 0, ah, al);
    addInto(state, 2, bh, bl);
    addInto(state, 4, ch, cl);
    addInto(state, 6, dh, dl);
    addInto(state, 8, eh, el);
    addInto(state, 10, fh, fl);
    addInto(state, 12, gh, gl);
    addInto(state, 14, hh, hl);
  }
  wh.fill(0);
  wl.fill(0);
}

/** state[i..i+1] += (h, l) modulo 2^64. */
function addInto(state: Int32Array, i: number, h: number, l: number): void {
  const lo = (state[i + 1]! >>> 0) + (l >>> 0);
  state[i] = (state[i]! + h + ((lo / 0x100000000) | 0)) | 0;
  state[i + 1] = lo | 0;
}

/** SHA-384 (FIPS 180-4 6.5): SHA-512's compression from its own H(0) (5.3.4), truncated to 48 bytes. */
export const sha384Compression: Compression = {
  blockLen: 128,
  outputLen: 48,
  iv: Int32Array.from(primes(8, 8).flatMap((p) => rootFraction(p, 2))),
  littleEndian: false,
  compress,
};
