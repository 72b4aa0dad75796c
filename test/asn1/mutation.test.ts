/**
 * Mutation fuzzing of the reference encodings: every mutated input either decodes (and then re-encodes to the
 * same bytes, since strict DER has one encoding per value) or throws Asn1DecodeError — nothing else.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SIZE, decodeKerberosMessage, decodeTicket } from '../../src/asn1/index.js';
import { Asn1DecodeError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import { CODECS, type Codec, PKINIT_CODECS } from './codecs.js';

interface Row {
  mitName: string;
  type: string;
  variant: string;
  der: string;
  asn1Type?: string;
}
const rows: Row[] = JSON.parse(
  readFileSync(new URL('../vectors/asn1-reference.json', import.meta.url), 'utf8'),
);
const codecOf = (r: Row): Codec | undefined =>
  r.asn1Type !== undefined
    ? CODECS[r.asn1Type]
    : PKINIT_CODECS[r.variant ? `${r.type}(${r.variant})` : r.type];
const targets = rows.flatMap((r) => {
  const codec = codecOf(r);
  return codec ? [[r.mitName, fromHex(r.der), codec] as const] : [];
});

/** Offsets of every length octet in a DER tree (test-side walker, independent of src/asn1). */
function lengthOffsets(b: Uint8Array, start = 0, end = b.length, out: number[] = []): number[] {
  let p = start;
  while (p + 1 < end) {
    const id = b[p]!;
    const lenAt = p + 1;
    let len = b[lenAt]!;
    let hdr = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[lenAt + 1 + i]!;
      hdr += n;
    }
    out.push(lenAt);
    if (id & 0x20) lengthOffsets(b, p + hdr, p + hdr + len, out);
    p += hdr + len;
  }
  return out;
}

function check([decode, encode]: Codec, b: Uint8Array): void {
  let v: unknown;
  try {
    v = decode(b);
  } catch (e) {
    expect(e).toBeInstanceOf(Asn1DecodeError);
    const err = e as Asn1DecodeError;
    expect(err.offset).toBeGreaterThanOrEqual(0);
    expect(err.offset).toBeLessThanOrEqual(b.length);
    expect(err.path.length).toBeGreaterThan(0);
    return;
  }
  expect(toHex(encode(v as never))).toBe(toHex(b));
}

const mutate = (der: Uint8Array) =>
  fc.oneof(
    fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 7 })).map(([i, bit]) => {
      const b = der.slice();
      b[i]! ^= 1 << bit;
      return b;
    }),
    fc.tuple(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
      const b = der.slice();
      b[i] = v;
      return b;
    }),
    fc.nat(der.length - 1).map((n) => der.slice(0, n)),
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map((x) => Uint8Array.of(...der, ...x)),
    fc
      .tuple(fc.nat(der.length), fc.integer({ min: 0, max: 255 }))
      .map(([i, v]) => Uint8Array.of(...der.slice(0, i), v, ...der.slice(i))),
    fc.nat(der.length - 1).map((i) => Uint8Array.of(...der.slice(0, i), ...der.slice(i + 1))),
    fc
      .tuple(
        fc.constantFrom(...lengthOffsets(der)),
        fc.constantFrom(-1, 1, -0x7f, 0x7f),
        fc.constantFrom(0x80, 0x81, 0x84, 0x85, 0xff, 0),
      )
      .chain(([i, delta, raw]) =>
        fc.constantFrom(
          (() => {
            const b = der.slice();
            b[i] = (b[i]! + delta) & 0xff;
            return b;
          })(),
          (() => {
            const b = der.slice();
            b[i] = raw;
            return b;
          })(),
        ),
      ),
  );

describe('mutated reference encodings', () => {
  it.each(targets)('%s', (_, der, codec) => {
    check(codec, der);
    fc.assert(
      fc.property(mutate(der), (b) => check(codec, b)),
      { numRuns: 300 },
    );
  });

  it('random bytes through decodeKerberosMessage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          decodeKerberosMessage(b);
        } catch (e) {
          expect(e).toBeInstanceOf(Asn1DecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('size bound and unchecked lengths', () => {
  it('rejects input over the default bound before parsing', () => {
    const big = new Uint8Array(DEFAULT_MAX_SIZE + 1);
    expect(() => decodeTicket(big)).toThrow(/exceeds/);
  });

  it('honours a smaller maxSize', () => {
    const der = targets.find(([n]) => n === 'encode_krb5_ticket')![1];
    expect(() => decodeTicket(der, { maxSize: der.length - 1 })).toThrow(Asn1DecodeError);
    expect(decodeTicket(der, { maxSize: der.length }).realm).toBe('ATHENA.MIT.EDU');
  });

  it('a 4 GiB length field in a 6-byte input fails fast with the offset of the element', () => {
    const b = Uint8Array.of(0x61, 0x84, 0xff, 0xff, 0xff, 0xff);
    const t0 = performance.now();
    expect(() => decodeTicket(b)).toThrow(expect.objectContaining({ offset: 0, path: 'Ticket' }));
    expect(performance.now() - t0).toBeLessThan(50);
  });
});
