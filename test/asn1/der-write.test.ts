/** The DER writer's output buffers: each encoding owns its whole buffer (no pool shared between encodings). */
import { describe, expect, it } from 'vitest';
import { encOctets, encSeq, toDer } from '../../src/asn1/der-write.js';

/** A SEQUENCE { OCTET STRING of `n` bytes of `fill` }. */
function encoding(n: number, fill: number): Uint8Array {
  return toDer(encSeq(encOctets(new Uint8Array(n).fill(fill))));
}

describe('toDer output', () => {
  it.each([10, 100, 1000, 5000])(
    'an encoding of %i content bytes is the whole of its own buffer: its .buffer shows no other encoding (one may hold a key)',
    (n) => {
      const a = encoding(n, 0xaa);
      const b = encoding(n, 0xbb);
      for (const e of [a, b]) {
        expect(e.byteOffset).toBe(0);
        expect(e.buffer.byteLength).toBe(e.byteLength);
      }
      expect(a.buffer).not.toBe(b.buffer);
    },
  );
});
