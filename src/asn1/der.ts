/**
 * Strict DER reader and writer (ITU-T X.690 8 and 10) for the Kerberos schemas.
 * Decoding accepts only definite minimal lengths, low tag numbers, minimal INTEGERs, DER BOOLEANs and
 * exactly the expected tags in order; every failure is an Asn1DecodeError with the field path and byte offset.
 *
 * Byte fields of a decoded value (OCTET STRINGs, captured and raw encodings, `rest`) are fresh copies by default, so a
 * value outlives its input whatever the caller does with the input after. A caller that owns the input and never
 * changes it (a received datagram, a plaintext it just decrypted) may ask for views of it instead (`views: true`):
 * no allocation per field, and the input stays alive as long as any such field.
 */
import { Asn1DecodeError } from '../errors.js';
import type { DerSpans } from './der-spans.js';

/** Universal tags and tag-class bits used by the Kerberos schemas (X.680 8.4, X.690 8.1.2). */
export const Tag = {
  Boolean: 0x01,
  Integer: 0x02,
  BitString: 0x03,
  OctetString: 0x04,
  ObjectIdentifier: 0x06,
  GeneralizedTime: 0x18,
  GeneralString: 0x1b,
  Sequence: 0x30,
  /** APPLICATION class, constructed: `Application | n`. */
  Application: 0x60,
  /** Context-specific class, constructed (EXPLICIT tagging): `Context | n`. */
  Context: 0xa0,
  /** Context-specific class, primitive (IMPLICIT tagging of a primitive): `ContextPrimitive | n`. */
  ContextPrimitive: 0x80,
} as const;

/** Options accepted by every `decodeX` function. */
export interface DecodeOptions {
  /** Largest input accepted, in bytes (default {@link DEFAULT_MAX_SIZE}). */
  maxSize?: number;
  /**
   * Byte fields of the result are views of the input, not copies (default false): only for an input the caller owns
   * and never changes after (nor wipes), since the result shares its bytes.
   */
  views?: boolean;
  /**
   * Records where each value was read from (see {@link DerSpans}): for the explain engine and the explorer only. A
   * decode without it runs the plain reader, which keeps no offsets.
   */
  spans?: DerSpans;
}

/** Strings up to this many bytes are tried as ASCII in place before a TextDecoder (whose call costs more). */
const ASCII_IN_PLACE_MAX = 64;

/** Default size bound for decoder input: 1 MiB. */
export const DEFAULT_MAX_SIZE = 1_048_576;

/** Smallest and largest Int32 (RFC 4120 5.2.4). */
export const INT32_MIN = -2147483648;
/** Largest Int32. */
export const INT32_MAX = 2147483647;
/** Largest UInt32 (RFC 4120 5.2.4). */
export const UINT32_MAX = 4294967295;

/** A decoder for one element read from `r`. */
export type Read<T> = (r: DerReader) => T;

/** What a missing or wrong element is called in errors: a field `[n] name`, else `what` itself. */
function fieldWhat(what: string, fieldNo: number): string {
  return fieldNo < 0 ? what : `[${fieldNo}] ${what}`;
}

function tagName(tag: number): string {
  return `0x${tag.toString(16).padStart(2, '0')}`;
}

/**
 * A cursor over the contents of one constructed element; child readers share the input buffer. A child knows its
 * parent and its step from it (`.name`, or an index), and its path is built only when asked for (errors): a reply
 * is read through hundreds of fields, almost always without one.
 */
export class DerReader {
  private pos: number;
  private knownPath: string | undefined;
  private parent: DerReader | undefined = undefined;
  private step: string | number = '';

  constructor(
    protected readonly buf: Uint8Array,
    start: number,
    private readonly end: number,
    path: string,
    /** Byte fields are views of the input instead of copies (see {@link DecodeOptions.views}). */
    readonly views = false,
  ) {
    this.pos = start;
    this.knownPath = path;
  }

  /** `start..end` of the input as a byte field: a view or a copy, as this reader was asked. */
  private out(start: number, end: number): Uint8Array {
    return this.views ? this.buf.subarray(start, end) : this.buf.slice(start, end);
  }

  /** Field path used in errors, e.g. `TGS-REQ.req-body.sname` (`[i]` for element i of a SEQUENCE OF). */
  get path(): string {
    const parent = this.parent;
    if (parent !== undefined && this.knownPath === undefined) {
      const step = this.step;
      this.knownPath = `${parent.path}${typeof step === 'number' ? `[${step}]` : `.${step}`}`;
    }
    // A top reader has the path it was given (a JavaScript caller may have given none).
    return this.knownPath as string;
  }

  /** A reader of `start..end` of the same input, one step below this one: field `.name`, element `[i]`, or none (''). */
  protected below(start: number, end: number, step: string | number): DerReader {
    return this.linked(new DerReader(this.buf, start, end, '', this.views), step);
  }

  /** Makes `r` (a new reader of part of this input) the reader one `step` below this one, and returns it. */
  protected linked<R extends DerReader>(r: R, step: string | number): R {
    if (step === '') {
      // The same path as this reader's, built (if ever) the same way.
      r.knownPath = this.knownPath;
      r.parent = this.parent;
      r.step = this.step;
    } else {
      r.knownPath = undefined;
      r.parent = this;
      r.step = step;
    }
    return r;
  }

  /** Throws an Asn1DecodeError at the path of field `name` of this reader (this reader's own when ''). */
  private failIn(reason: string, offset: number, name: string): never {
    return this.fail(reason, offset, name === '' ? this.path : `${this.path}.${name}`);
  }

  /** Throws an Asn1DecodeError at this reader's path (or `path`) and the given offset. */
  fail(reason: string, offset: number = this.pos, path: string = this.path): never {
    throw new Asn1DecodeError(path, offset, reason);
  }

  /** Absolute offset of the next element in the outermost input. */
  get offset(): number {
    return this.pos;
  }

  /** True when every byte of this reader has been consumed. */
  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Identifier octet of the next element, or -1 at the end. */
  peekTag(): number {
    return this.pos < this.end ? this.buf[this.pos]! : -1;
  }

  /** Rejects anything left after the last expected element. */
  finish(): void {
    if (this.pos < this.end) this.fail(`unexpected element ${tagName(this.buf[this.pos]!)} (trailing data)`);
  }

  /**
   * Reads one TLV header with identifier `tag` and advances past the element: returns where its contents start (they
   * end at the new position). A field's `name` and number go into errors only: no string is built per element.
   */
  protected take(tag: number, what: string, name = '', fieldNo = -1): number {
    const at = this.pos;
    if (at >= this.end)
      this.failIn(`missing ${fieldWhat(what, fieldNo)} (expected tag ${tagName(tag)})`, at, name);
    const id = this.buf[at]!;
    if ((id & 0x1f) === 0x1f)
      this.failIn(`high tag numbers are not used by Kerberos (${tagName(id)})`, at, name);
    if (id !== tag)
      this.failIn(
        `expected ${fieldWhat(what, fieldNo)} (tag ${tagName(tag)}), found tag ${tagName(id)}`,
        at,
        name,
      );
    let p = at + 1;
    if (p >= this.end) this.failIn('truncated length', p, name);
    let len = this.buf[p++]!;
    if (len === 0x80) this.failIn('indefinite length is not DER', p - 1, name);
    if (len > 0x80) {
      const n = len & 0x7f;
      if (n > 4) this.failIn(`length of ${n} octets is too long`, p - 1, name);
      if (p + n > this.end) this.failIn('truncated length', p - 1, name);
      if (this.buf[p] === 0) this.failIn('length is not minimal (leading zero octet)', p - 1, name);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.buf[p++]!;
      if (len < 0x80) this.failIn('length is not minimal (long form for a short length)', p - n - 1, name);
    }
    if (len > this.end - p)
      this.failIn(`length ${len} exceeds the ${this.end - p} bytes available`, at, name);
    this.pos = p + len;
    return p;
  }

  /** Contents of the next element, which must be primitive with identifier `tag` (a view, not a copy). */
  primitive(tag: number, what: string): { bytes: Uint8Array; offset: number } {
    const start = this.take(tag, what);
    return { bytes: this.buf.subarray(start, this.pos), offset: start };
  }

  /**
   * The next element, an INTEGER in [min, max] (X.690 8.3, minimal two's complement), read in place: nonces, etypes
   * and times are most of a message's elements, and a view object each was a good part of a decode's garbage.
   */
  integer(min: number, max: number, what: string): number {
    const at = this.take(Tag.Integer, what);
    const b = this.buf;
    const n = this.pos - at;
    if (n === 0) this.fail('INTEGER with no content octets', at);
    if (n > 1 && ((b[at] === 0 && b[at + 1]! < 0x80) || (b[at] === 0xff && b[at + 1]! >= 0x80)))
      this.fail('INTEGER is not minimally encoded', at);
    if (n > 6) this.fail(`${what} out of range`, at);
    let v = b[at]! >= 0x80 ? b[at]! - 256 : b[at]!;
    for (let i = 1; i < n; i++) v = v * 256 + b[at + i]!;
    if (v < min || v > max) this.fail(`${what} ${v} out of range ${min}..${max}`, at);
    return v;
  }

  /**
   * The next element, primitive with identifier `tag`, as text: short ASCII (principal names, realms) decoded in
   * place, anything else through `decoder`; bytes the decoder refuses fail the decode with `invalid`.
   */
  text(tag: number, what: string, decoder: TextDecoder, invalid: string): string {
    const at = this.take(tag, what);
    const b = this.buf;
    const end = this.pos;
    if (end - at <= ASCII_IN_PLACE_MAX) {
      let s = '';
      let i = at;
      for (; i < end; i++) {
        const c = b[i]!;
        if (c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      if (i === end) return s;
    }
    try {
      return decoder.decode(b.subarray(at, end));
    } catch {
      return this.fail(invalid, at);
    }
  }

  /**
   * Reads a constructed element with identifier `tag` and runs `read` over its contents (all must be used); a field
   * `[fieldNo] name` extends the path of its contents with `.name`.
   */
  enter<T>(tag: number, what: string, read: (inner: DerReader) => T, name = '', fieldNo = -1): T {
    const start = this.take(tag, what, name, fieldNo);
    const inner = this.below(start, this.pos, name);
    const v = read(inner);
    inner.finish();
    return v;
  }

  /** A SEQUENCE at this position. */
  seq<T>(read: (s: DerReader) => T): T {
    return this.enter(Tag.Sequence, 'SEQUENCE', read);
  }

  /** An `[APPLICATION n]` element at this position. */
  app<T>(n: number, read: (s: DerReader) => T): T {
    return this.enter(Tag.Application | n, `[APPLICATION ${n}]`, read);
  }

  /** A SEQUENCE OF at this position; element i gets the path `path[i]`. */
  seqOf<T>(read: Read<T>): T[] {
    return this.seq((s) => {
      const out: T[] = [];
      while (!s.atEnd) {
        const item = s.below(s.pos, s.end, out.length);
        out.push(read(item));
        s.pos = item.pos;
      }
      return out;
    });
  }

  /** Required field `[n] EXPLICIT` named `name`. */
  field<T>(n: number, name: string, read: Read<T>): T {
    return this.enter(Tag.Context | n, name, read, name, n);
  }

  /** OPTIONAL field `[n] EXPLICIT`: absent when the next tag differs. */
  opt<T>(n: number, name: string, read: Read<T>): T | undefined {
    return this.peekTag() === (Tag.Context | n) ? this.field(n, name, read) : undefined;
  }

  /** Contents of an OCTET STRING at this position: a copy, or a view when this reader was asked for views. */
  octets(): Uint8Array {
    const start = this.take(Tag.OctetString, 'OCTET STRING');
    return this.out(start, this.pos);
  }

  /** Required `[n] IMPLICIT OCTET STRING` field (PKINIT modules): a copy, or a view (see `views`). */
  implicitOctets(n: number, name: string): Uint8Array {
    const start = this.take(Tag.ContextPrimitive | n, name, name, n);
    return this.out(start, this.pos);
  }

  /** OPTIONAL `[n] IMPLICIT OCTET STRING` field. */
  optImplicitOctets(n: number, name: string): Uint8Array | undefined {
    return this.peekTag() === (Tag.ContextPrimitive | n) ? this.implicitOctets(n, name) : undefined;
  }

  /** Every byte left in this reader, consumed (copied, or a view): an `ANY` that need not be one element (RFC 2743 3.1). */
  rest(): Uint8Array {
    const b = this.out(this.pos, this.end);
    this.pos = this.end;
    return b;
  }

  /** Runs `read` here and returns its value with the complete encoding it consumed (bytes as received; see `views`). */
  captured<T>(read: Read<T>): { readonly value: T; readonly bytes: Uint8Array } {
    const at = this.pos;
    const value = read(this);
    return { value, bytes: this.out(at, this.pos) };
  }

  /** The complete encoding (tag, length, contents) of the next element (see `views`); `tag` restricts its identifier. */
  raw(what: string, tag: number = this.peekTag()): Uint8Array {
    const at = this.pos;
    if (tag < 0) this.fail(`missing ${what}`);
    this.take(tag, what);
    return this.out(at, this.pos);
  }
}

/** INTEGER in [min, max] (X.690 8.3, minimal two's complement). */
export function readInteger(r: DerReader, min: number, max: number, what: string): number {
  return r.integer(min, max, what);
}

/** Int32 (RFC 4120 5.2.4). */
export const readInt32: Read<number> = (r) => readInteger(r, INT32_MIN, INT32_MAX, 'Int32');
/** UInt32 (RFC 4120 5.2.4). */
export const readUInt32: Read<number> = (r) => readInteger(r, 0, UINT32_MAX, 'UInt32');
/** A 32-bit value sent as UInt32 by the RFC but as signed Int32 by MIT and Windows (kvno, nonce, seq-number). */
export const readAnyInt32: Read<number> = (r) => readInteger(r, INT32_MIN, UINT32_MAX, '32-bit INTEGER');
/** Microseconds 0..999999 (RFC 4120 5.2.4). */
export const readMicroseconds: Read<number> = (r) => readInteger(r, 0, 999999, 'Microseconds');

/** OCTET STRING: a copy out of the input, or a view of it when the decode asked for views. */
export const readOctets: Read<Uint8Array> = (r) => r.octets();

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** KerberosString / Realm: a GeneralString whose octets must be valid UTF-8 (what MIT and Windows send). */
export const readKerberosString: Read<string> = (r) =>
  r.text(Tag.GeneralString, 'GeneralString', strictUtf8, 'GeneralString is not valid UTF-8');

/** BOOLEAN: DER allows only 0x00 and 0xff (X.690 11.1). */
export const readBoolean: Read<boolean> = (r) => {
  const { bytes, offset } = r.primitive(Tag.Boolean, 'BOOLEAN');
  if (bytes.length !== 1 || (bytes[0] !== 0 && bytes[0] !== 0xff)) r.fail('BOOLEAN is not DER', offset);
  return bytes[0] === 0xff;
};

/** A 32-bit BIT STRING (KerberosFlags, RFC 4120 5.2.8) as a uint32 with bit 0 = 0x80000000. */
export const readBits32: Read<number> = (r) => {
  const { bytes, offset } = r.primitive(Tag.BitString, 'BIT STRING');
  if (bytes.length !== 5 || bytes[0] !== 0) r.fail('KerberosFlags must be a 32-bit BIT STRING', offset);
  return ((bytes[1]! << 24) | (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!) >>> 0;
};

/** An octet-aligned BIT STRING (unused-bits octet 0) as its data octets, e.g. a DH public key. */
export const readBitStringOctets: Read<Uint8Array> = (r) => {
  const { bytes, offset } = r.primitive(Tag.BitString, 'BIT STRING');
  if (bytes.length === 0 || bytes[0] !== 0)
    r.fail('BIT STRING must be octet-aligned (0 unused bits)', offset);
  return r.views ? bytes.subarray(1) : bytes.slice(1);
};

/** OBJECT IDENTIFIER as dotted text (X.690 8.19), each arc minimally encoded and below 2^53. */
export const readObjectIdentifier: Read<string> = (r) => {
  const { bytes, offset } = r.primitive(Tag.ObjectIdentifier, 'OBJECT IDENTIFIER');
  if (bytes.length === 0 || bytes[bytes.length - 1]! >= 0x80) r.fail('malformed OBJECT IDENTIFIER', offset);
  const arcs: number[] = [];
  let v = 0;
  let first = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (v === 0 && b === 0x80) r.fail('OBJECT IDENTIFIER arc is not minimal', offset + i);
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER) r.fail('OBJECT IDENTIFIER arc too large', offset + i);
    if (b < 0x80) {
      if (first) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      first = false;
      v = 0;
    }
  }
  return arcs.join('.');
};

/** Runs `read` over `bytes` as one complete element: size bound, then no trailing bytes. */
export function decodeTop<T>(bytes: Uint8Array, path: string, read: Read<T>, opts?: DecodeOptions): T {
  const max = opts?.maxSize ?? DEFAULT_MAX_SIZE;
  if (bytes.length > max) throw new Asn1DecodeError(path, 0, `input of ${bytes.length} bytes exceeds ${max}`);
  const views = opts?.views === true;
  const spans = opts?.spans;
  const r =
    spans === undefined
      ? new DerReader(bytes, 0, bytes.length, path, views)
      : spans.reader(bytes, path, views);
  const v = read(r);
  r.finish();
  return v;
}

/** Reads SEQUENCE SIZE (1..MAX) OF: like `r.seqOf` but an empty list is an error. */
export function readNonEmptySeqOf<T>(r: DerReader, read: Read<T>, what: string): T[] {
  const at = r.offset;
  const v = r.seqOf(read);
  if (v.length === 0) r.fail(`${what} must hold at least one element`, at);
  return v;
}

/** A reader for an INTEGER constrained to one value, e.g. `pvno [0] INTEGER (5)`. */
export function readExactly(expected: number, what: string): Read<number> {
  return (r) => readInteger(r, expected, expected, what);
}

type OptionalKeys<T> = { [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K> ? K : never }[keyof T];

/** Object type with OPTIONAL properties allowed to be `undefined`, for building decoded values. */
export type Loose<T> = { [K in keyof T]-?: K extends OptionalKeys<T> ? T[K] | undefined : T[K] };

/** Copies `o` without its undefined properties (absent OPTIONAL fields stay absent). */
export function prune<T extends object>(o: Loose<T>): T {
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}
