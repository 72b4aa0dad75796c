/** MD4 (RFC 1320), needed only for the rc4-hmac string-to-key (RFC 4757 2). Not for new designs. */

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** RFC 1320 MD4 digest of `data` (16 bytes). */
export function md4(data: Uint8Array): Uint8Array {
  const bitLen = data.length * 8;
  const padded = new Uint8Array((((data.length + 8) >> 6) + 1) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitLen >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bitLen / 0x100000000), true);
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Int32Array(16);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getInt32(off + 4 * i, true);
    const [aa, bb, cc, dd] = [a, b, c, d];
    const f = (p: number, q: number, r: number) => (p & q) | (~p & r);
    const g = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
    const h = (p: number, q: number, r: number) => p ^ q ^ r;
    // Round 1: [k, s] pattern with order 0..15.
    const s1 = [3, 7, 11, 19];
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + f(b, c, d) + x[i]!) | 0, s1[i % 4]!);
      [a, b, c, d] = [d, t, b, c];
    }
    const s2 = [3, 5, 9, 13];
    const o2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + g(b, c, d) + x[o2[i]!]! + 0x5a827999) | 0, s2[i % 4]!);
      [a, b, c, d] = [d, t, b, c];
    }
    const s3 = [3, 9, 11, 15];
    const o3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
    for (let i = 0; i < 16; i++) {
      const t = rotl((a + h(b, c, d) + x[o3[i]!]! + 0x6ed9eba1) | 0, s3[i % 4]!);
      [a, b, c, d] = [d, t, b, c];
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  ov.setInt32(0, a, true);
  ov.setInt32(4, b, true);
  ov.setInt32(8, c, true);
  ov.setInt32(12, d, true);
  return out;
}
