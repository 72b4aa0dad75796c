/** The DER writer's output buffers: each encoding owns its whole buffer (no pool shared between encodings). */
import { describe, expect, it } from 'vitest';
import { encObjectIdentifier, encOctets, encSeq, toDer } from '../../src/asn1/der-write.js';
import { toHex } from '../../src/util/bytes.js';

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

  it('an OBJECT IDENTIFIER encodes the same however often it is asked for; a bad one is refused every time', () => {
    const krb5 = () => toHex(toDer(encObjectIdentifier('1.2.840.113554.1.2.2')));
    expect(krb5()).toBe('06092a864886f712010202');
    for (let i = 0; i < 100; i++) toDer(encObjectIdentifier(`1.3.6.1.4.1.${i}`));
    expect(krb5()).toBe('06092a864886f712010202');
    for (let i = 0; i < 2; i++) expect(() => encObjectIdentifier('3.1')).toThrow(/OBJECT IDENTIFIER 3.1/);
  });
});
