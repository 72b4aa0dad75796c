/**
 * AES (FIPS 197) in CBC mode without padding (NIST SP 800-38A 6.2), for the pure backend: the 32-bit table-lookup
 * rounds of the Rijndael AES proposal (Daemen and Rijmen), 4 KiB of tables per direction, words read straight from
 * the message bytes, no per-block objects.
 *
 * Not constant-time: the table lookups are indexed by secret state, so a process sharing the CPU cache can learn
 * key bits from their timing (cache-timing attacks). @noble/ciphers' AES also uses T-tables (merged 64 Ki-entry
 * ones) and has the same exposure; node:crypto (AES-NI) does not.
 */
import { CryptoError } from '../errors.js';

const BLOCK = 16;

/** FIPS 197 4.2.1 xtime(): multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
const xtime = (b: number): number => ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;

function gmul(a: number, b: number): number {
  let r = 0;
  for (; b !== 0; b >>= 1, a = xtime(a)) if (b & 1) r ^= a;
  return r;
}

const rotr8 = (w: number): number => (w >>> 8) | (w << 24);

/** S-box (FIPS 197 5.1.1), its inverse (5.3.2), and the round tables, computed once instead of pasted in. */
const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
const TE = [0, 1, 2, 3].map(() => new Int32Array(256));
const TD = [0, 1, 2, 3].map(() => new Int32Array(256));
{
  // Walk the multiplicative group with generator 3: pow[i] = 3^i, and the inverse of 3^i is 3^(255-i).
  const pow = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++, x ^= xtime(x)) pow[i] = x;
  for (let i = 0; i < 256; i++) {
    const inv = i === 0 ? 0 : pow[(255 - pow.indexOf(i)) % 255]!;
    let s = inv;
    for (let r = 1; r < 5; r++) s ^= ((inv << r) | (inv >>> (8 - r))) & 0xff;
    SBOX[i] = s ^ 0x63;
    INV_SBOX[SBOX[i]!] = i;
  }
  for (let i = 0; i < 256; i++) {
    const s = SBOX[i]!;
    const v = INV_SBOX[i]!;
    // Column (02, 01, 01, 03)·s of MixColumns and (0e, 09, 0d, 0b)·v of InvMixColumns, big-endian in one word.
    let te = (xtime(s) << 24) | (s << 16) | (s << 8) | (xtime(s) ^ s);
    let td = (gmul(v, 14) << 24) | (gmul(v, 9) << 16) | (gmul(v, 13) << 8) | gmul(v, 11);
    for (let t = 0; t < 4; t++, te = rotr8(te), td = rotr8(td)) {
      TE[t]![i] = te;
      TD[t]![i] = td;
    }
  }
}
const [TE0, TE1, TE2, TE3] = TE as [Int32Array, Int32Array, Int32Array, Int32Array];
const [TD0, TD1, TD2, TD3] = TD as [Int32Array, Int32Array, Int32Array, Int32Array];

const subWord = (w: number): number =>
  (SBOX[w >>> 24]! << 24) | (SBOX[(w >>> 16) & 255]! << 16) | (SBOX[(w >>> 8) & 255]! << 8) | SBOX[w & 255]!;

/** Big-endian 32-bit word of `b` at `o`. */
const be = (b: Uint8Array, o: number): number =>
  (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;

function putBe(b: Uint8Array, o: number, w: number): void {
  b[o] = w >>> 24;
  b[o + 1] = w >>> 16;
  b[o + 2] = w >>> 8;
  b[o + 3] = w;
}

/** FIPS 197 5.2 KeyExpansion of a 16-, 24- or 32-byte key: 4·(Nr+1) big-endian round-key words. */
export function aesExpandKey(key: Uint8Array): Int32Array {
  const nk = key.length / 4;
  if (nk !== 4 && nk !== 6 && nk !== 8)
    throw new CryptoError(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  const w = new Int32Array(4 * (nk + 7));
  for (let i = 0; i < nk; i++) w[i] = be(key, 4 * i);
  for (let i = nk, rcon = 1; i < w.length; i++) {
    let t = w[i - 1]!;
    if (i % nk === 0) {
      t = subWord((t << 8) | (t >>> 24)) ^ (rcon << 24);
      rcon = xtime(rcon);
    } else if (nk === 8 && i % nk === 4) t = subWord(t);
    w[i] = w[i - nk]! ^ t;
  }
  return w;
}

/**
 * The round keys of FIPS 197 5.3.5's equivalent inverse cipher from an encryption schedule: rounds reversed and
 * InvMixColumns applied to all but the first and last, so decryption runs with the same table shape.
 */
export function aesDecryptionKey(enc: Int32Array): Int32Array {
  const n = enc.length;
  const d = new Int32Array(n);
  for (let r = 0; r < n; r += 4) for (let j = 0; j < 4; j++) d[r + j] = enc[n - 4 - r + j]!;
  for (let i = 4; i < n - 4; i++) {
    const w = d[i]!;
    d[i] =
      TD0[SBOX[w >>> 24]!]! ^
      TD1[SBOX[(w >>> 16) & 255]!]! ^
      TD2[SBOX[(w >>> 8) & 255]!]! ^
      TD3[SBOX[w & 255]!]!;
  }
  return d;
}

function checkCbc(iv: Uint8Array, src: Uint8Array, dst: Uint8Array): void {
  if (iv.length !== BLOCK) throw new CryptoError(`AES-CBC IV must be 16 bytes, got ${iv.length}`);
  if (src.length % BLOCK !== 0 || dst.length < src.length)
    throw new CryptoError(
      `AES-CBC input must be whole 16-byte blocks and fit the output, got ${src.length} bytes`,
    );
}

/** CBC encryption of `src` (whole blocks) into `dst` under schedule `xk` from {@link aesExpandKey}; `dst` may be `src`. */
export function aesCbcEncrypt(xk: Int32Array, iv: Uint8Array, src: Uint8Array, dst: Uint8Array): void {
  checkCbc(iv, src, dst);
  // Local aliases: V8 then keeps the tables' bases in registers instead of reloading module bindings per lookup.
  const T0 = TE0;
  const T1 = TE1;
  const T2 = TE2;
  const T3 = TE3;
  const S = SBOX;
  const last = xk.length - 4;
  let s0 = be(iv, 0);
  let s1 = be(iv, 4);
  let s2 = be(iv, 8);
  let s3 = be(iv, 12);
  for (let o = 0; o < src.length; o += BLOCK) {
    s0 ^= be(src, o) ^ xk[0]!;
    s1 ^= be(src, o + 4) ^ xk[1]!;
    s2 ^= be(src, o + 8) ^ xk[2]!;
    s3 ^= be(src, o + 12) ^ xk[3]!;
    for (let k = 4; k < last; k += 4) {
      const t0 = T0[s0 >>> 24]! ^ T1[(s1 >>> 16) & 255]! ^ T2[(s2 >>> 8) & 255]! ^ T3[s3 & 255]! ^ xk[k]!;
      const t1 = T0[s1 >>> 24]! ^ T1[(s2 >>> 16) & 255]! ^ T2[(s3 >>> 8) & 255]! ^ T3[s0 & 255]! ^ xk[k + 1]!;
      const t2 = T0[s2 >>> 24]! ^ T1[(s3 >>> 16) & 255]! ^ T2[(s0 >>> 8) & 255]! ^ T3[s1 & 255]! ^ xk[k + 2]!;
      s3 = T0[s3 >>> 24]! ^ T1[(s0 >>> 16) & 255]! ^ T2[(s1 >>> 8) & 255]! ^ T3[s2 & 255]! ^ xk[k + 3]!;
      s0 = t0;
      s1 = t1;
      s2 = t2;
    }
    // Final round: SubBytes and ShiftRows without MixColumns.
    const t0 =
      (S[s0 >>> 24]! << 24) | (S[(s1 >>> 16) & 255]! << 16) | (S[(s2 >>> 8) & 255]! << 8) | S[s3 & 255]!;
    const t1 =
      (S[s1 >>> 24]! << 24) | (S[(s2 >>> 16) & 255]! << 16) | (S[(s3 >>> 8) & 255]! << 8) | S[s0 & 255]!;
    const t2 =
      (S[s2 >>> 24]! << 24) | (S[(s3 >>> 16) & 255]! << 16) | (S[(s0 >>> 8) & 255]! << 8) | S[s1 & 255]!;
    const t3 =
      (S[s3 >>> 24]! << 24) | (S[(s0 >>> 16) & 255]! << 16) | (S[(s1 >>> 8) & 255]! << 8) | S[s2 & 255]!;
    s0 = t0 ^ xk[last]!;
    s1 = t1 ^ xk[last + 1]!;
    s2 = t2 ^ xk[last + 2]!;
    s3 = t3 ^ xk[last + 3]!;
    putBe(dst, o, s0);
    putBe(dst, o + 4, s1);
    putBe(dst, o + 8, s2);
    putBe(dst, o + 12, s3);
  }
}

/** CBC decryption of `src` (whole blocks) into `dst` under schedule `xd` from {@link aesDecryptionKey}; `dst` may be `src`. */
export function aesCbcDecrypt(xd: Int32Array, iv: Uint8Array, src: Uint8Array, dst: Uint8Array): void {
  checkCbc(iv, src, dst);
  const T0 = TD0;
  const T1 = TD1;
  const T2 = TD2;
  const T3 = TD3;
  const I = INV_SBOX;
  const last = xd.length - 4;
  let p0 = be(iv, 0);
  let p1 = be(iv, 4);
  let p2 = be(iv, 8);
  let p3 = be(iv, 12);
  for (let o = 0; o < src.length; o += BLOCK) {
    const c0 = be(src, o);
    const c1 = be(src, o + 4);
    const c2 = be(src, o + 8);
    const c3 = be(src, o + 12);
    let s0 = c0 ^ xd[0]!;
    let s1 = c1 ^ xd[1]!;
    let s2 = c2 ^ xd[2]!;
    let s3 = c3 ^ xd[3]!;
    for (let k = 4; k < last; k += 4) {
      const t0 = T0[s0 >>> 24]! ^ T1[(s3 >>> 16) & 255]! ^ T2[(s2 >>> 8) & 255]! ^ T3[s1 & 255]! ^ xd[k]!;
      const t1 = T0[s1 >>> 24]! ^ T1[(s0 >>> 16) & 255]! ^ T2[(s3 >>> 8) & 255]! ^ T3[s2 & 255]! ^ xd[k + 1]!;
      const t2 = T0[s2 >>> 24]! ^ T1[(s1 >>> 16) & 255]! ^ T2[(s0 >>> 8) & 255]! ^ T3[s3 & 255]! ^ xd[k + 2]!;
      s3 = T0[s3 >>> 24]! ^ T1[(s2 >>> 16) & 255]! ^ T2[(s1 >>> 8) & 255]! ^ T3[s0 & 255]! ^ xd[k + 3]!;
      s0 = t0;
      s1 = t1;
      s2 = t2;
    }
    // Final round: InvShiftRows and InvSubBytes without InvMixColumns, then the CBC xor with the previous block.
    const t0 =
      (I[s0 >>> 24]! << 24) | (I[(s3 >>> 16) & 255]! << 16) | (I[(s2 >>> 8) & 255]! << 8) | I[s1 & 255]!;
    const t1 =
      (I[s1 >>> 24]! << 24) | (I[(s0 >>> 16) & 255]! << 16) | (I[(s3 >>> 8) & 255]! << 8) | I[s2 & 255]!;
    const t2 =
      (I[s2 >>> 24]! << 24) | (I[(s1 >>> 16) & 255]! << 16) | (I[(s0 >>> 8) & 255]! << 8) | I[s3 & 255]!;
    const t3 =
      (I[s3 >>> 24]! << 24) | (I[(s2 >>> 16) & 255]! << 16) | (I[(s1 >>> 8) & 255]! << 8) | I[s0 & 255]!;
    putBe(dst, o, t0 ^ xd[last]! ^ p0);
    putBe(dst, o + 4, t1 ^ xd[last + 1]! ^ p1);
    putBe(dst, o + 8, t2 ^ xd[last + 2]! ^ p2);
    putBe(dst, o + 12, t3 ^ xd[last + 3]! ^ p3);
    p0 = c0;
    p1 = c1;
    p2 = c2;
    p3 = c3;
  }
}
