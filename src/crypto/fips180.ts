/**
 * What the FIPS 180-4 hashes share: the constants (K in 4.2, H(0) in 5.3), leading bits of the fractional parts of
 * square and cube roots of the first primes, computed exactly here once rather than pasted in as tables of hex; the
 * compression-function contract; and the message padding (5.1) and streaming around it. MD5 (RFC 1321 3.1-3.2, 3.5)
 * pads the same way and differs only in byte order, so it runs here too (md5-rfc1321.ts).
 */

/** The first `count` primes after skipping `from` of them. */
export function primes(count: number, from = 0): number[] {
  const ps: number[] = [];
  for (let n = 2; ps.length < from + count; n++) if (ps.every((q) => n % q !== 0)) ps.push(n);
  return ps.slice(from);
}

/** The leading 64 bits of the fractional part of the `root`-th root of `p`, as an int32 (high, low) pair. */
export function rootFraction(p: number, root: 2 | 3): [number, number] {
  // floor(p^(1/root) * 2^64) is the integer root of p * 2^(64·root); Newton's method from above converges to it.
  const n = BigInt(p) << BigInt(64 * root);
  const r = BigInt(root);
  let x = BigInt(Math.ceil(p ** (1 / root))) << 64n;
  for (;;) {
    const y = ((r - 1n) * x + n / x ** (r - 1n)) / r;
    if (y >= x) break;
    x = y;
  }
  const frac = x & 0xffffffffffffffffn;
  return [Number(frac >> 32n) | 0, Number(frac & 0xffffffffn) | 0];
}

/** A FIPS 180-4 hash (or MD5) as its compression function: the state is 32-bit words. */
export interface Compression {
  /** Message block size in bytes (64, or 128 for SHA-384/512). */
  readonly blockLen: 64 | 128;
  /** Digest length in bytes: the leading words of the state. */
  readonly outputLen: number;
  /** The initial hash value H(0) as state words. */
  readonly iv: Int32Array;
  /** Whether the length in the padding and the digest's words are little-endian (MD5) rather than big-endian (SHA). */
  readonly littleEndian: boolean;
  /** Hashes `blocks` whole blocks of `data` from byte `at` into `state`. */
  compress(state: Int32Array, data: Uint8Array, at: number, blocks: number): void;
}

function writeBe(b: Uint8Array, o: number, w: number): void {
  b[o] = w >>> 24;
  b[o + 1] = w >>> 16;
  b[o + 2] = w >>> 8;
  b[o + 3] = w;
}

function writeLe(b: Uint8Array, o: number, w: number): void {
  b[o] = w;
  b[o + 1] = w >>> 8;
  b[o + 2] = w >>> 16;
  b[o + 3] = w >>> 24;
}

/**
 * One reusable hashing context over a compression function: whole blocks are compressed straight from the caller's
 * bytes and only a partial block is copied, so a message costs no allocation. One message at a time.
 */
export class Fips180Hasher {
  /** The hash this context computes. */
  readonly h: Compression;
  /** The chaining state; after {@link finish}, the digest's words. */
  readonly state: Int32Array;
  /** The partial block being filled; also where the padding is laid out. */
  readonly buf: Uint8Array;
  /** Bytes in {@link buf}. */
  pos = 0;

  /** A context for `h`. */
  constructor(h: Compression) {
    this.h = h;
    this.state = h.iv.slice();
    this.buf = new Uint8Array(h.blockLen);
  }

  /** Starts a message from chaining state `from` (H(0), or a state that has absorbed whole blocks). */
  begin(from: Int32Array): void {
    this.state.set(from);
    this.pos = 0;
  }

  /** Feeds `d`. */
  absorb(d: Uint8Array): void {
    const { blockLen } = this.h;
    const buf = this.buf;
    let pos = this.pos;
    let i = 0;
    if (pos > 0) {
      const take = Math.min(blockLen - pos, d.length);
      for (; i < take; i++) buf[pos++] = d[i]!;
      if (pos < blockLen) {
        this.pos = pos;
        return;
      }
      this.h.compress(this.state, buf, 0, 1);
      pos = 0;
    }
    const blocks = Math.floor((d.length - i) / blockLen);
    if (blocks > 0) {
      this.h.compress(this.state, d, i, blocks);
      i += blocks * blockLen;
    }
    for (; i < d.length; i++) buf[pos++] = d[i]!;
    this.pos = pos;
  }

  /**
   * 5.1 padding of a message of `total` bytes in all: a 1 bit, zeros, the bit length in 8 or 16 bytes (RFC 1321 3.2:
   * 8 bytes, low word first); wipes the buffer.
   */
  finish(total: number): void {
    const { blockLen } = this.h;
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = 0x80;
    if (pos > blockLen - (blockLen >> 3)) {
      buf.fill(0, pos);
      this.h.compress(this.state, buf, 0, 1);
      pos = 0;
    }
    buf.fill(0, pos, blockLen - 8);
    const bits = total * 8;
    if (this.h.littleEndian) {
      writeLe(buf, blockLen - 8, bits >>> 0);
      writeLe(buf, blockLen - 4, Math.floor(bits / 0x100000000));
    } else {
      writeBe(buf, blockLen - 8, Math.floor(bits / 0x100000000));
      writeBe(buf, blockLen - 4, bits >>> 0);
    }
    this.h.compress(this.state, buf, 0, 1);
    buf.fill(0);
  }

  /** The digest (the leading state words, in the hash's byte order) written to the start of `out`. */
  digestInto(out: Uint8Array): void {
    const write = this.h.littleEndian ? writeLe : writeBe;
    for (let i = 0; i < this.h.outputLen; i += 4) write(out, i, this.state[i >> 2]!);
  }
}

/** The digest of `data` under `h`. */
export function fips180Digest(h: Compression, data: Uint8Array): Uint8Array {
  const x = new Fips180Hasher(h);
  x.absorb(data);
  x.finish(data.length);
  const out = new Uint8Array(h.outputLen);
  x.digestInto(out);
  x.state.fill(0);
  return out;
}
