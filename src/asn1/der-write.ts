/**
 * Canonical DER writer (ITU-T X.690 10): definite minimal lengths, minimal INTEGERs, fields in schema order.
 * Encoders build a tree of DerNodes (no byte copies) and `toDer` writes it into one buffer, so a 1.5 KiB
 * ticket nested ten levels deep is copied once, not ten times.
 */
import { KerberosError } from '../errors.js';
import { boundedMemo } from '../util/memo.js';
import { INT32_MAX, INT32_MIN, Tag, UINT32_MAX } from './der.js';

/** An element ready to be written: a primitive (content bytes), a constructed element, or raw DER. */
export class DerNode {
  /** Size of the whole element (header + contents) in bytes. */
  readonly size: number;
  private constructor(
    /** Identifier octet, or -1 for a complete pre-encoded element. */
    readonly tag: number,
    /** Contents length (or the raw element's length). */
    readonly len: number,
    readonly data: Uint8Array | undefined,
    readonly kids: readonly DerNode[] | undefined,
  ) {
    this.size = tag < 0 ? len : headerSize(len) + len;
  }

  /** A primitive element whose contents are `data` (not copied until `toDer`). */
  static primitive(tag: number, data: Uint8Array): DerNode {
    return new DerNode(tag, data.length, data, undefined);
  }

  /**
   * A constructed element around `kids` (undefined entries are absent OPTIONAL fields). The node keeps `kids` itself
   * when every entry is present (callers pass a fresh array): a request builds hundreds of nodes, and a copy each
   * was most of the writer's garbage.
   */
  static constructed(tag: number, kids: readonly (DerNode | undefined)[]): DerNode {
    let n = 0;
    let absent = false;
    for (const k of kids) {
      if (k === undefined) absent = true;
      else n += k.size;
    }
    const present = absent ? kids.filter((k): k is DerNode => k !== undefined) : (kids as readonly DerNode[]);
    return new DerNode(tag, n, undefined, present);
  }

  /** A complete DER element inserted as is. */
  static raw(der: Uint8Array): DerNode {
    return new DerNode(-1, der.length, der, undefined);
  }
}

function headerSize(n: number): number {
  return n < 0x80 ? 2 : n < 0x100 ? 3 : n < 0x10000 ? 4 : n < 0x1000000 ? 5 : 6;
}

function write(node: DerNode, out: Uint8Array, at: number): number {
  let o = at;
  if (node.tag >= 0) {
    const n = node.len;
    const h = headerSize(n);
    out[o] = node.tag;
    if (h === 2) out[o + 1] = n;
    else {
      out[o + 1] = 0x80 | (h - 2);
      for (let i = h - 1, v = n; i >= 2; i--, v = Math.floor(v / 256)) out[o + i] = v & 0xff;
    }
    o += h;
  }
  if (node.data) {
    out.set(node.data, o);
    return o + node.data.length;
  }
  for (const k of node.kids!) o = write(k, out, o);
  return o;
}

/**
 * The DER bytes of `node`, written into one new buffer of their own. Not cut from a shared pool (as Node's small
 * Buffers are), although that would save about 1 µs per encoding: an encoding may hold a key (an Authenticator's
 * subkey, an EncKrbCredPart), and a pooled one's `.buffer` would show its neighbours and keep them alive.
 */
export function toDer(node: DerNode): Uint8Array {
  const out = new Uint8Array(node.size);
  write(node, out, 0);
  return out;
}

/** SEQUENCE of fields (undefined = absent OPTIONAL). */
export function encSeq(...fields: (DerNode | undefined)[]): DerNode {
  return DerNode.constructed(Tag.Sequence, fields);
}

/** SEQUENCE OF `items`, each written by `enc`. */
export function encSeqOf<T>(items: readonly T[], enc: (v: T) => DerNode): DerNode {
  return DerNode.constructed(Tag.Sequence, items.map(enc));
}

/** SEQUENCE SIZE (1..MAX) OF `items`; throws on an empty list (it could not be decoded). */
export function encNonEmptySeqOf<T>(items: readonly T[], enc: (v: T) => DerNode, what: string): DerNode {
  if (items.length === 0) throw new KerberosError(`cannot encode ${what}: it needs at least one element`);
  return encSeqOf(items, enc);
}

/** `[n] EXPLICIT` around an element. */
export function ctx(n: number, inner: DerNode): DerNode {
  return DerNode.constructed(Tag.Context | n, [inner]);
}

/** OPTIONAL `[n] EXPLICIT` field: undefined when `v` is absent. */
export function optCtx<T>(n: number, v: T | undefined, enc: (v: T) => DerNode): DerNode | undefined {
  return v === undefined ? undefined : DerNode.constructed(Tag.Context | n, [enc(v)]);
}

/** `[APPLICATION n]` around an element. */
export function appTag(n: number, inner: DerNode): DerNode {
  return DerNode.constructed(Tag.Application | n, [inner]);
}

/** The INTEGER nodes of SMALL_INT_MIN..SMALL_INT_MAX, made once: nodes are immutable, so trees may share them. */
const SMALL_INT_MIN = -128;
const SMALL_INT_MAX = 1023;
const smallInts: (DerNode | undefined)[] = [];

/** INTEGER in [min, max], minimal two's complement. */
export function encInteger(v: number, min: number, max: number, what: string): DerNode {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new KerberosError(`cannot encode ${what}: ${v} is not an integer in ${min}..${max}`);
  // pvno, msg-type, etypes, name types, padata types: the same few values in every message.
  if (v < SMALL_INT_MIN || v > SMALL_INT_MAX) return integerNode(v);
  const i = v - SMALL_INT_MIN;
  let node = smallInts[i];
  if (node === undefined) {
    node = integerNode(v);
    smallInts[i] = node;
  }
  return node;
}

function integerNode(v: number): DerNode {
  // Content octets: the fewest whose two's complement range holds v (nonces and times: 4 or 5).
  const n =
    v >= -0x80 && v < 0x80
      ? 1
      : v >= -0x8000 && v < 0x8000
        ? 2
        : v >= -0x800000 && v < 0x800000
          ? 3
          : v >= -0x80000000 && v < 0x80000000
            ? 4
            : 5;
  const out = new Uint8Array(n);
  let x = v < 0 ? v + 2 ** (8 * n) : v;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = x % 256;
    x = Math.floor(x / 256);
  }
  return DerNode.primitive(Tag.Integer, out);
}

/** Int32. */
export const encInt32 = (v: number): DerNode => encInteger(v, INT32_MIN, INT32_MAX, 'Int32');
/** UInt32. */
export const encUInt32 = (v: number): DerNode => encInteger(v, 0, UINT32_MAX, 'UInt32');
/** kvno / nonce / seq-number: signed or unsigned 32-bit, encoded exactly as given. */
export const encAnyInt32 = (v: number): DerNode => encInteger(v, INT32_MIN, UINT32_MAX, '32-bit INTEGER');
/** Microseconds 0..999999. */
export const encMicroseconds = (v: number): DerNode => encInteger(v, 0, 999999, 'Microseconds');

/** OCTET STRING. */
export const encOctets = (b: Uint8Array): DerNode => DerNode.primitive(Tag.OctetString, b);

/** `[n] IMPLICIT OCTET STRING`. */
export const encImplicitOctets = (n: number, b: Uint8Array): DerNode =>
  DerNode.primitive(Tag.ContextPrimitive | n, b);

const utf8Encoder = new TextEncoder();

/**
 * The GeneralString nodes of short strings, made once (nodes are immutable): realms, service names and the users a
 * service acts for are in every request, several times.
 */
const SHARED_STRING_MAX = 64;
const stringNodes = boundedMemo(1024, kerberosStringNode);

/** KerberosString / Realm as a UTF-8 GeneralString; rejects lone surrogates (they cannot round-trip). */
export function encKerberosString(s: string): DerNode {
  return s.length <= SHARED_STRING_MAX ? stringNodes(s) : kerberosStringNode(s);
}

function kerberosStringNode(s: string): DerNode {
  const n = s.length;
  const out = new Uint8Array(n);
  let i = 0;
  // ASCII fast path, no TextEncoder.
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    out[i] = c;
  }
  if (i === n) return DerNode.primitive(Tag.GeneralString, out);
  if (/\p{Cs}/u.test(s)) throw new KerberosError('cannot encode KerberosString: lone UTF-16 surrogate');
  return DerNode.primitive(Tag.GeneralString, utf8Encoder.encode(s));
}

/** BOOLEAN (0xff for true). */
export const encBoolean = (v: boolean): DerNode =>
  DerNode.primitive(Tag.Boolean, Uint8Array.of(v ? 0xff : 0));

/**
 * KerberosFlags nodes by value, made once like the small INTEGERs (nodes are immutable): the same few flag sets
 * (KDC options, AP options, PAC options) are in every request.
 */
const bits32Node = boundedMemo(256, (v: number) =>
  DerNode.primitive(Tag.BitString, Uint8Array.of(0, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff)),
);

/** 32-bit BIT STRING from a uint32 (bit 0 = 0x80000000). */
export function encBits32(v: number): DerNode {
  if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX)
    throw new KerberosError(`cannot encode KerberosFlags: ${v} is not a uint32`);
  return bits32Node(v);
}

/** Octet-aligned BIT STRING of `b` (unused-bits octet 0). */
export function encBitStringOctets(b: Uint8Array): DerNode {
  const c = new Uint8Array(b.length + 1);
  c.set(b, 1);
  return DerNode.primitive(Tag.BitString, c);
}

/** A complete DER element inserted as is (the caller vouches that it is one element). */
export const encRaw = (b: Uint8Array): DerNode => DerNode.raw(b);

/**
 * OBJECT IDENTIFIER from dotted text. Nodes are kept by text, like the small INTEGERs: a process encodes the same few
 * OIDs (GSS and SPNEGO mechanisms, PKINIT) in every token, and parsing the text again cost as much as the rest of
 * an AP-REP's framing.
 */
export function encObjectIdentifier(oid: string): DerNode {
  return oidNodes(oid);
}

function oidNode(oid: string): DerNode {
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
  return DerNode.primitive(Tag.ObjectIdentifier, Uint8Array.from(out));
}

const oidNodes = boundedMemo(64, oidNode);
