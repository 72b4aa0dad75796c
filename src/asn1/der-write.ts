/** Canonical DER writer (ITU-T X.690 10): definite minimal lengths, minimal INTEGERs, fields in schema order. */
import { KerberosError } from '../errors.js';
import { INT32_MAX, INT32_MIN, Tag, UINT32_MAX } from './der.js';

/** One TLV with identifier `tag` around `content` (definite minimal length). */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const h = n < 0x80 ? 2 : n < 0x100 ? 3 : n < 0x10000 ? 4 : n < 0x1000000 ? 5 : 6;
  const out = new Uint8Array(h + n);
  out[0] = tag;
  if (h === 2) out[1] = n;
  else {
    out[1] = 0x80 | (h - 2);
    for (let i = h - 1, v = n; i >= 2; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  }
  out.set(content, h);
  return out;
}

/** Concatenation of encoded fields, skipping absent (undefined) ones. */
function join(parts: readonly (Uint8Array | undefined)[]): Uint8Array {
  let n = 0;
  for (const p of parts) if (p) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    if (!p) continue;
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** SEQUENCE of already-encoded fields (undefined = absent OPTIONAL). */
export function encSeq(...fields: (Uint8Array | undefined)[]): Uint8Array {
  return tlv(Tag.Sequence, join(fields));
}

/** SEQUENCE OF `items`, each encoded by `enc`. */
export function encSeqOf<T>(items: readonly T[], enc: (v: T) => Uint8Array): Uint8Array {
  return tlv(Tag.Sequence, join(items.map(enc)));
}

/** SEQUENCE SIZE (1..MAX) OF `items`; throws on an empty list (it could not be decoded). */
export function encNonEmptySeqOf<T>(
  items: readonly T[],
  enc: (v: T) => Uint8Array,
  what: string,
): Uint8Array {
  if (items.length === 0) throw new KerberosError(`cannot encode ${what}: it needs at least one element`);
  return encSeqOf(items, enc);
}

/** `[n] EXPLICIT` around an encoded element. */
export function ctx(n: number, inner: Uint8Array): Uint8Array {
  return tlv(Tag.Context | n, inner);
}

/** OPTIONAL `[n] EXPLICIT` field: undefined when `v` is absent. */
export function optCtx<T>(n: number, v: T | undefined, enc: (v: T) => Uint8Array): Uint8Array | undefined {
  return v === undefined ? undefined : tlv(Tag.Context | n, enc(v));
}

/** `[APPLICATION n]` around an encoded element. */
export function appTag(n: number, inner: Uint8Array): Uint8Array {
  return tlv(Tag.Application | n, inner);
}

/** INTEGER in [min, max], minimal two's complement. */
export function encInteger(v: number, min: number, max: number, what: string): Uint8Array {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new KerberosError(`cannot encode ${what}: ${v} is not an integer in ${min}..${max}`);
  const bytes: number[] = [];
  let x = v;
  for (;;) {
    const b = ((x % 256) + 256) % 256;
    bytes.unshift(b);
    x = Math.floor(x / 256);
    if ((x === 0 && b < 0x80) || (x === -1 && b >= 0x80)) break;
  }
  return tlv(Tag.Integer, Uint8Array.from(bytes));
}

/** Int32. */
export const encInt32 = (v: number): Uint8Array => encInteger(v, INT32_MIN, INT32_MAX, 'Int32');
/** UInt32. */
export const encUInt32 = (v: number): Uint8Array => encInteger(v, 0, UINT32_MAX, 'UInt32');
/** kvno / nonce / seq-number: signed or unsigned 32-bit, encoded exactly as given. */
export const encAnyInt32 = (v: number): Uint8Array => encInteger(v, INT32_MIN, UINT32_MAX, '32-bit INTEGER');
/** Microseconds 0..999999. */
export const encMicroseconds = (v: number): Uint8Array => encInteger(v, 0, 999999, 'Microseconds');

/** OCTET STRING. */
export const encOctets = (b: Uint8Array): Uint8Array => tlv(Tag.OctetString, b);

/** `[n] IMPLICIT OCTET STRING`. */
export const encImplicitOctets = (n: number, b: Uint8Array): Uint8Array => tlv(Tag.ContextPrimitive | n, b);

const utf8Encoder = new TextEncoder();

/** KerberosString / Realm as a UTF-8 GeneralString; rejects lone surrogates (they cannot round-trip). */
export function encKerberosString(s: string): Uint8Array {
  if (/\p{Cs}/u.test(s)) throw new KerberosError('cannot encode KerberosString: lone UTF-16 surrogate');
  return tlv(Tag.GeneralString, utf8Encoder.encode(s));
}

/** BOOLEAN (0xff for true). */
export const encBoolean = (v: boolean): Uint8Array => tlv(Tag.Boolean, Uint8Array.of(v ? 0xff : 0));

/** 32-bit BIT STRING from a uint32 (bit 0 = 0x80000000). */
export function encBits32(v: number): Uint8Array {
  if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX)
    throw new KerberosError(`cannot encode KerberosFlags: ${v} is not a uint32`);
  return tlv(Tag.BitString, Uint8Array.of(0, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff));
}

/** Octet-aligned BIT STRING of `b` (unused-bits octet 0). */
export function encBitStringOctets(b: Uint8Array): Uint8Array {
  const c = new Uint8Array(b.length + 1);
  c.set(b, 1);
  return tlv(Tag.BitString, c);
}

/** A complete encoded element, inserted as is (the caller vouches that it is one DER element). */
export const encRaw = (b: Uint8Array): Uint8Array => b;

/** OBJECT IDENTIFIER from dotted text. */
export function encObjectIdentifier(oid: string): Uint8Array {
  const arcs = oid.split('.').map((a) => (/^(0|[1-9][0-9]*)$/.test(a) ? Number(a) : Number.NaN));
  const [a0, a1] = arcs;
  if (
    arcs.length < 2 ||
    arcs.some((a) => !Number.isSafeInteger(a)) ||
    a0! > 2 ||
    (a0! < 2 && a1! > 39) ||
    a0! * 40 + a1! > Number.MAX_SAFE_INTEGER
  )
    throw new KerberosError(`cannot encode OBJECT IDENTIFIER ${oid}`);
  const out: number[] = [];
  for (const v of [a0! * 40 + a1!, ...arcs.slice(2)]) {
    const groups: number[] = [];
    let x = v;
    do {
      groups.unshift(x % 128);
      x = Math.floor(x / 128);
    } while (x > 0);
    for (let i = 0; i < groups.length; i++) out.push(groups[i]! | (i < groups.length - 1 ? 0x80 : 0));
  }
  return tlv(Tag.ObjectIdentifier, Uint8Array.from(out));
}
