/**
 * HMAC (FIPS 198-1, RFC 2104) over a FIPS 180-4 (or MD5) compression function, for the pure backend: the key's inner and
 * outer pad blocks are compressed once, each message starts from a copy of those states, and nothing is allocated
 * per message but the result.
 */
import { type Compression, Fips180Hasher, fips180Digest } from './fips180.js';

/** HMAC under one key, prepared for many messages. Not reentrant: one message at a time (the crypto layer is synchronous). */
export class PreparedHmac {
  readonly #x: Fips180Hasher;
  readonly #inner: Int32Array;
  readonly #outer: Int32Array;

  /** `key` prepared for HMAC over `h`; the key itself is not kept. */
  constructor(h: Compression, key: Uint8Array) {
    const bl = h.blockLen;
    this.#x = new Fips180Hasher(h);
    // FIPS 198-1 4 steps 1-3: K0 is the key, or its digest when longer than a block, zero-padded to a block.
    const k0 = new Uint8Array(bl);
    if (key.length > bl) {
      const d = fips180Digest(h, key);
      k0.set(d);
      d.fill(0);
    } else k0.set(key);
    for (let i = 0; i < bl; i++) k0[i]! ^= 0x36;
    this.#inner = h.iv.slice();
    h.compress(this.#inner, k0, 0, 1);
    for (let i = 0; i < bl; i++) k0[i]! ^= 0x36 ^ 0x5c;
    this.#outer = h.iv.slice();
    h.compress(this.#outer, k0, 0, 1);
    k0.fill(0);
  }

  /** HMAC of `a || b` (`b` optional), full length, as a fresh array. */
  mac(a: Uint8Array, b?: Uint8Array): Uint8Array {
    const x = this.#x;
    const { blockLen, outputLen } = x.h;
    x.begin(this.#inner);
    x.absorb(a);
    let n = a.length;
    if (b !== undefined) {
      x.absorb(b);
      n += b.length;
    }
    x.finish(blockLen + n);
    // The outer message, K0 xor opad || inner digest, is one block past the pad: lay the digest out in place.
    x.digestInto(x.buf);
    x.begin(this.#outer);
    x.pos = outputLen;
    x.finish(blockLen + outputLen);
    const out = new Uint8Array(outputLen);
    x.digestInto(out);
    x.state.fill(0);
    return out;
  }
}
