/**
 * A strict reader for NDR 2.0 little-endian data as the PAC carries it: MS-RPCE 2.2.6 type serialization
 * version 1 headers, alignment, unique and full pointers with deferred pointees, conformant and
 * conformant-varying arrays, RPC_UNICODE_STRING, RPC_SID and FILETIME (MS-DTYP 2.3.3, 2.3.10, 2.4.2.3).
 *
 * Every count is checked against the bytes that are left before anything is allocated, so a hostile
 * count (a PAC claiming 2^31 groups) fails at once with PacDecodeError.
 */
import { PacDecodeError } from '../errors.js';
import { FileTimeSpecial, NdrSize, NdrTypeSerialization } from './constants.js';
import { formatSid, SID_MAX_SUB_AUTHORITIES, SID_REVISION } from './sid.js';

// Module-local copies: hot paths read these on every call (cheaper than a property of an imported object
// under bundlers and test runners that rewrite imports into namespace lookups).
const U8 = NdrSize.u8;
const U16 = NdrSize.u16;
const U32 = NdrSize.u32;
const U64 = NdrSize.u64;
const WCHAR = NdrSize.wchar;

/** A value that can be produced once the deferred pointees it depends on have been read. */
export type Lazy<T> = () => T;

/** The Date of a FILETIME, or undefined for "not set" (0) and "never" (0x7FFFFFFFFFFFFFFF). */
export function fileTimeToDate(fileTime: bigint): Date | undefined {
  if (fileTime === FileTimeSpecial.notSet || fileTime >= FileTimeSpecial.never) return undefined;
  return new Date(Number((fileTime - FileTimeSpecial.unixEpoch) / FileTimeSpecial.perMillisecond));
}

/** Text of UTF-16LE code units, kept unit for unit (a lone surrogate stays as it is). */
export function decodeUtf16(units: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < units.length; i += 2) s += String.fromCharCode(units[i]! | (units[i + 1]! << 8));
  return s;
}

/**
 * A counted PAC string without the NULs Windows sometimes counts in its length (a LogonServer of `WS2008\0`):
 * RPC_UNICODE_STRING's Length excludes the terminator (MS-DTYP 2.3.10), and the other counted strings have none.
 */
export function withoutTrailingNuls(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Little-endian NDR reader over one serialized buffer; offsets in errors are `base` + position. */
export class NdrReader {
  private pos = 0;
  private readonly view: DataView;
  private queue: Array<() => void> = [];
  private readonly uniqueIds = new Set<number>();
  private readonly fullIds = new Map<number, { value: Lazy<unknown> | undefined }>();

  /** Reader over `bytes`; `base` is where they start in the outer PAC, for error offsets. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly base = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Current position inside this buffer. */
  get offset(): number {
    return this.pos;
  }

  /** Current position as an offset in the outer PAC. */
  get absolute(): number {
    return this.base + this.pos;
  }

  /** Bytes not yet consumed. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** Throws PacDecodeError at the current position. */
  fail(reason: string): never {
    throw new PacDecodeError(this.base + this.pos, reason);
  }

  /** Fails unless `n` more bytes are present. */
  need(n: number, what: string): void {
    if (n > this.remaining) this.fail(`${what}: needs ${n} bytes, ${this.remaining} left`);
  }

  /** Skips to the next multiple of `n` (NDR alignment is relative to the start of the stream). */
  align(n: number): void {
    const pad = (n - (this.pos % n)) % n;
    this.need(pad, 'alignment padding');
    this.pos += pad;
  }

  /** Skips `n` bytes. */
  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  /** Unsigned 8-bit integer. */
  u8(): number {
    this.need(U8, 'u8');
    return this.bytes[this.pos++]!;
  }

  /** Unsigned 16-bit integer, 2-aligned. */
  u16(): number {
    this.align(U16);
    this.need(U16, 'u16');
    const v = this.view.getUint16(this.pos, true);
    this.pos += U16;
    return v;
  }

  /** Unsigned 32-bit integer, 4-aligned. */
  u32(): number {
    this.align(U32);
    this.need(U32, 'u32');
    const v = this.view.getUint32(this.pos, true);
    this.pos += U32;
    return v;
  }

  /** Unsigned 64-bit integer (hyper), 8-aligned. */
  u64(): bigint {
    this.align(U64);
    this.need(U64, 'u64');
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += U64;
    return v;
  }

  /** Signed 64-bit integer, 8-aligned. */
  i64(): bigint {
    this.align(U64);
    this.need(U64, 'i64');
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += U64;
    return v;
  }

  /** A copy of the next `n` raw bytes. */
  bytesOf(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** FILETIME: two 32-bit halves, low first (MS-DTYP 2.3.3), as 100-ns intervals since 1601. */
  fileTime(): bigint {
    const low = this.u32();
    const high = this.u32();
    return (BigInt(high) << 32n) | BigInt(low);
  }

  /**
   * A conformance (maximum count) of an array whose elements take at least `minElementSize` bytes;
   * fails when that many elements cannot fit in what is left.
   */
  conformance(minElementSize: number, what: string): number {
    const count = this.u32();
    if (count * minElementSize > this.remaining) {
      this.fail(`${what}: count ${count} cannot fit in ${this.remaining} bytes`);
    }
    return count;
  }

  /** Fails unless a size field of the containing structure matches the array's conformance. */
  expectCount(actual: number, expected: number, what: string): void {
    if (actual !== expected) this.fail(`${what}: array has ${actual} elements, size field says ${expected}`);
  }

  /** A conformant array pointee: conformance (checked against `count`) then the elements. */
  conformantArray<T>(count: number, minElementSize: number, what: string, read: (r: NdrReader) => T): T[] {
    this.expectCount(this.conformance(minElementSize, what), count, what);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read(this));
    return out;
  }

  /** A referent ID (0 is the null pointer). */
  pointer(): number {
    return this.u32();
  }

  /**
   * A unique pointer: its referent ID now, its pointee deferred until the enclosing construct is done.
   * Referent IDs of unique pointers never repeat.
   */
  unique<T>(read: (r: NdrReader) => Lazy<T>): Lazy<T | null> {
    const id = this.pointer();
    if (id === 0) return () => null;
    return this.uniquePointee(id, read);
  }

  private uniquePointee<T>(id: number, read: (r: NdrReader) => Lazy<T>): Lazy<T> {
    if (this.uniqueIds.has(id)) this.fail(`unique pointer referent ID 0x${id.toString(16)} repeated`);
    this.uniqueIds.add(id);
    return this.defer(read);
  }

  /** A full pointer: a repeated referent ID points at the same pointee, which is sent once. */
  full<T>(read: (r: NdrReader) => Lazy<T>): Lazy<T | null> {
    const id = this.pointer();
    if (id === 0) return () => null;
    const seen = this.fullIds.get(id);
    if (seen !== undefined) {
      return () => {
        if (seen.value === undefined) this.fail('full pointer pointee never read');
        return seen.value() as T;
      };
    }
    const slot: { value: Lazy<unknown> | undefined } = { value: undefined };
    this.fullIds.set(id, slot);
    const lazy = this.defer(read);
    slot.value = lazy;
    return lazy;
  }

  /**
   * A unique pointer to a conformant array whose element count the structure gave before it (`count`);
   * null is allowed only for an empty array.
   */
  arrayPointer<T>(
    count: number,
    minElementSize: number,
    what: string,
    read: (r: NdrReader) => Lazy<T>,
  ): Lazy<T[]> {
    const id = this.pointer();
    if (id === 0) {
      if (count !== 0) this.fail(`${what}: null pointer for ${count} elements`);
      return () => [];
    }
    return this.uniquePointee(id, (r) => lazyAll(r.conformantArray(count, minElementSize, what, read)));
  }

  /** A unique pointer to a conformant byte array of `count` bytes (null only when `count` is 0). */
  bytesPointer(count: number, what: string): Lazy<Uint8Array> {
    const id = this.pointer();
    if (id === 0) {
      if (count !== 0) this.fail(`${what}: null pointer for ${count} bytes`);
      return () => new Uint8Array(0);
    }
    return this.uniquePointee(id, (r) => {
      r.expectCount(r.conformance(U8, what), count, what);
      const bytes = r.bytesOf(count, what);
      return () => bytes;
    });
  }

  /** Reads the top-level pointee in place (MS-RPCE: top-level pointees are not deferred). */
  topLevel<T>(read: (r: NdrReader) => Lazy<T>): Lazy<T> {
    const id = this.pointer();
    if (id === 0) this.fail('null top-level pointer');
    this.uniqueIds.add(id);
    return read(this);
  }

  /** Reads every deferred pointee, depth first: a pointee's own pointees follow it directly. */
  flush(): void {
    const list = this.queue;
    this.queue = [];
    this.runDeferred(list);
  }

  private runDeferred(list: Array<() => void>): void {
    for (const job of list) {
      const outer = this.queue;
      this.queue = [];
      job();
      const nested = this.queue;
      this.queue = outer;
      this.runDeferred(nested);
    }
  }

  private defer<T>(read: (r: NdrReader) => Lazy<T>): Lazy<T> {
    let result: Lazy<T> | undefined;
    this.queue.push(() => {
      result = read(this);
    });
    return () => {
      if (result === undefined) this.fail('deferred pointee was never read');
      return result();
    };
  }

  /** RPC_UNICODE_STRING (MS-DTYP 2.3.10): Length, MaximumLength, pointer to a conformant-varying WCHAR array. */
  unicodeString(what: string): Lazy<string> {
    const length = this.u16();
    const maximumLength = this.u16();
    if (length % 2 !== 0 || maximumLength % 2 !== 0 || length > maximumLength) {
      this.fail(`${what}: bad RPC_UNICODE_STRING lengths ${length}/${maximumLength}`);
    }
    const ptr = this.unique((r) => {
      const text = r.varyingWchars(maximumLength / 2, length / 2, what);
      return () => text;
    });
    return () => {
      const text = ptr();
      if (text === null && length !== 0) this.fail(`${what}: null buffer with length ${length}`);
      return withoutTrailingNuls(text ?? '');
    };
  }

  /** A [string] wchar_t* (NUL-terminated conformant-varying string), without the terminator. */
  stringPointer(what: string): Lazy<string | null> {
    return this.unique((r) => {
      const max = r.conformance(WCHAR, what);
      const text = r.varyingBody(max, what);
      if (!text.endsWith('\0')) r.fail(`${what}: [string] without terminating NUL`);
      const value = text.slice(0, -1);
      return () => value;
    });
  }

  /** The body of a conformant-varying WCHAR array whose max and actual counts are known in advance. */
  private varyingWchars(expectedMax: number, expectedActual: number, what: string): string {
    const max = this.conformance(0, what);
    if (max !== expectedMax) this.fail(`${what}: maximum count ${max}, expected ${expectedMax}`);
    const text = this.varyingBody(max, what);
    if (text.length !== expectedActual) {
      this.fail(`${what}: actual count ${text.length}, expected ${expectedActual}`);
    }
    return text;
  }

  /** Offset (must be 0), actual count (at most `max`), then that many WCHARs. */
  private varyingBody(max: number, what: string): string {
    const offset = this.u32();
    const actual = this.u32();
    if (offset !== 0) this.fail(`${what}: non-zero varying offset ${offset}`);
    if (actual > max) this.fail(`${what}: actual count ${actual} exceeds maximum ${max}`);
    return decodeUtf16(this.bytesOf(actual * WCHAR, what));
  }

  /** A pointer to RPC_SID (MS-DTYP 2.4.2.3), a conformant structure: count, then the SID. */
  sidPointer(what: string): Lazy<string | null> {
    return this.unique((r) => {
      const sid = r.sidBody(what);
      return () => sid;
    });
  }

  /** RPC_SID as a pointee: conformance, Revision, SubAuthorityCount, IdentifierAuthority, SubAuthority[]. */
  private sidBody(what: string): string {
    const count = this.conformance(U32, what);
    const revision = this.u8();
    const subCount = this.u8();
    if (revision !== SID_REVISION) this.fail(`${what}: SID revision ${revision}`);
    if (subCount !== count || subCount > SID_MAX_SUB_AUTHORITIES) {
      this.fail(`${what}: SID sub-authority count ${subCount}, conformance ${count}`);
    }
    let authority = 0;
    for (let i = 0; i < 6; i++) authority = authority * 256 + this.u8();
    const subs: number[] = [];
    for (let i = 0; i < subCount; i++) subs.push(this.u32());
    return formatSid(authority, subs);
  }
}

/**
 * Decodes one MS-RPCE 2.2.6 type-serialized object: common header (version 1, little-endian, length 8),
 * private header (ObjectBufferLength, a multiple of 8, filling the buffer exactly), the top-level pointer
 * and its pointee, then every deferred pointee. At most the alignment padding may be left over.
 */
export function decodeNdrType<T>(
  bytes: Uint8Array,
  base: number,
  what: string,
  read: (r: NdrReader) => Lazy<T>,
): T {
  const r = new NdrReader(bytes, base);
  r.need(NdrTypeSerialization.headersLength, `${what} serialization headers`);
  if (r.u8() !== NdrTypeSerialization.version) r.fail(`${what}: not type serialization version 1`);
  if (r.u8() !== NdrTypeSerialization.littleEndian) r.fail(`${what}: only little-endian NDR is supported`);
  if (r.u16() !== NdrTypeSerialization.commonHeaderLength) r.fail(`${what}: bad common header length`);
  r.u32();
  const objectLength = r.u32();
  if (objectLength % NdrTypeSerialization.objectAlignment !== 0) {
    r.fail(`${what}: object length ${objectLength} not a multiple of 8`);
  }
  if (objectLength !== bytes.length - NdrTypeSerialization.headersLength) {
    r.fail(`${what}: object length ${objectLength} does not fill the ${bytes.length}-byte buffer`);
  }
  r.u32();
  const value = r.topLevel(read);
  r.flush();
  if (r.remaining >= NdrTypeSerialization.objectAlignment) r.fail(`${what}: ${r.remaining} trailing bytes`);
  return value();
}

/** A list of lazies as one lazy list. */
export function lazyAll<T>(items: Array<Lazy<T>>): Lazy<T[]> {
  return () => items.map((f) => f());
}
