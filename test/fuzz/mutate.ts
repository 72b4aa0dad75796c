/**
 * Input generators for the fuzz targets: random bytes, and stacked mutations of real seeds (bit flips, byte
 * sets, truncation, extension, insertion, deletion, duplication, splicing with another seed, 16/32-bit field
 * tweaks in both byte orders, and DER length-octet tweaks including 4-byte lengths near 2^31).
 */
import fc from 'fast-check';
import { derLengthOffsets, type Seed } from './corpus.js';

/** Values that break length and count fields. */
const INTERESTING_U32 = [
  0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x85, 0xff];

const OPS = [
  'flip',
  'set',
  'truncate',
  'extend',
  'insert',
  'delete',
  'duplicate',
  'splice',
  'u16',
  'u32',
  'der-length',
  'der-huge-length',
] as const;
type Op = (typeof OPS)[number];

/** One mutation; indices are reduced modulo the input length when applied. */
interface Mutation {
  op: Op;
  a: number;
  b: number;
  c: number;
  little: boolean;
  bytes: Uint8Array;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom(...OPS),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  little: fc.boolean(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
});

const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

function writeUint(b: Uint8Array, at: number, size: 2 | 4, v: number, little: boolean): Uint8Array {
  const out = b.slice();
  if (at + size > out.length) return out;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (size === 2) view.setUint16(at, v & 0xffff, little);
  else view.setUint32(at, v >>> 0, little);
  return out;
}

/** Applies one mutation; `other` is a second seed for splicing. */
function apply(b: Uint8Array, m: Mutation, other: Uint8Array): Uint8Array {
  const n = b.length;
  if (n === 0) return m.bytes.slice();
  const i = m.a % n;
  const interesting = INTERESTING_U32[m.c % INTERESTING_U32.length]!;
  switch (m.op) {
    case 'flip': {
      const out = b.slice();
      out[i]! ^= 1 << (m.b % 8);
      return out;
    }
    case 'set': {
      const out = b.slice();
      out[i] = m.c % 2 === 0 ? INTERESTING_BYTES[m.b % INTERESTING_BYTES.length]! : m.bytes[0]!;
      return out;
    }
    case 'truncate':
      return b.slice(0, i);
    case 'extend':
      return cat(b, m.bytes);
    case 'insert':
      return cat(b.subarray(0, i), m.bytes, b.subarray(i));
    case 'delete':
      return cat(b.subarray(0, i), b.subarray(Math.min(n, i + 1 + (m.b % 16))));
    case 'duplicate': {
      const len = 1 + (m.b % Math.min(64, n - i));
      return cat(b.subarray(0, i + len), b.subarray(i, i + len), b.subarray(i + len));
    }
    case 'splice': {
      const k = other.length === 0 ? 0 : m.b % other.length;
      return cat(b.subarray(0, i), other.subarray(k));
    }
    case 'u16':
      return writeUint(b, i, 2, m.c % 3 === 0 ? n - i + (m.b % 3) - 1 : interesting, m.little);
    case 'u32':
      return writeUint(b, i, 4, m.c % 3 === 0 ? n - i + (m.b % 3) - 1 : interesting, m.little);
    case 'der-length': {
      const offsets = derLengthOffsets(b);
      if (offsets.length === 0) return apply(b, { ...m, op: 'u32' }, other);
      const at = offsets[m.a % offsets.length]!;
      const out = b.slice();
      const deltas = [1, -1, 0x7f, -0x7f, 0x80];
      out[at] =
        m.c % 2 === 0 ? (out[at]! + deltas[m.b % deltas.length]!) & 0xff : INTERESTING_BYTES[m.b % 9]!;
      return out;
    }
    case 'der-huge-length': {
      // Replace a length octet with a 4-byte long form near 2^31 or 2^32: no decoder may allocate for it.
      const offsets = derLengthOffsets(b);
      const at = offsets.length === 0 ? i : offsets[m.a % offsets.length]!;
      const huge = [
        [0x84, 0x7f, 0xff, 0xff, 0xff],
        [0x84, 0xff, 0xff, 0xff, 0xff],
        [0x84, 0x80, 0x00, 0x00, 0x00],
        [0x83, 0xff, 0xff, 0xff],
      ][m.b % 4]!;
      return cat(b.subarray(0, at), Uint8Array.from(huge), b.subarray(at + 1));
    }
  }
}

/** A seed with one to four stacked mutations. */
function mutated(seeds: readonly Seed[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.constantFrom(...seeds),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
    )
    .map(([s, o, ms]) => ms.reduce((b, m) => apply(b, m, o.bytes), s.bytes));
}

/** Random bytes, sometimes starting with a seed's first byte so that the outer tag matches. */
function random(seeds: readonly Seed[]): fc.Arbitrary<Uint8Array> {
  const plain = fc.uint8Array({ maxLength: 256 });
  if (seeds.length === 0) return plain;
  const firsts = [...new Set(seeds.map((s) => s.bytes[0] ?? 0))];
  return fc.oneof(
    plain,
    fc.tuple(fc.constantFrom(...firsts), plain).map(([t, r]) => Uint8Array.of(t, ...r)),
  );
}

/** The input generator of a target: mostly mutated seeds, some random bytes (all random when no seed). */
export function inputs(seeds: readonly Seed[]): fc.Arbitrary<Uint8Array> {
  if (seeds.length === 0) return random(seeds);
  return fc.oneof({ arbitrary: mutated(seeds), weight: 4 }, { arbitrary: random(seeds), weight: 1 });
}

const TEXT_TOKENS = [
  '[',
  ']',
  '{',
  '}',
  '=',
  '"',
  '\\',
  '\n',
  '\r\n',
  '#',
  ';',
  '*',
  'include ',
  'includedir ',
  ' ',
];

/** Text inputs (krb5.conf): line and token mutations of seed text, plus the byte mutations decoded as UTF-8. */
export function textInputs(seeds: readonly Seed[]): fc.Arbitrary<string> {
  const dec = new TextDecoder();
  const lineOps = fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(
        fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...TEXT_TOKENS), fc.integer({ min: 0, max: 3 })),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
    )
    .map(([s, ops]) => {
      const lines = dec.decode(s.bytes).split('\n');
      for (const [a, b, tok, kind] of ops) {
        if (lines.length === 0) lines.push('');
        const i = a % lines.length;
        if (kind === 0) lines.splice(i, 1);
        else if (kind === 1) lines.splice(i, 0, lines[b % lines.length]!);
        else {
          const line = lines[i]!;
          const at = b % (line.length + 1);
          lines[i] = kind === 2 ? line.slice(0, at) + tok + line.slice(at) : line.slice(0, at);
        }
      }
      return lines.join('\n');
    });
  return fc.oneof(
    { arbitrary: lineOps, weight: 3 },
    { arbitrary: inputs(seeds).map((b) => dec.decode(b)), weight: 1 },
    { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
  );
}
