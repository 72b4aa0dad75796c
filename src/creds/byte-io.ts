/**
 * Bounded big-endian reader and growable writer for the binary credential files (keytab, ccache).
 * Every read is checked against the bytes left; a short input is a FormatError with the offset.
 */
import { FormatError } from '../errors.js';
import { U32_MAX } from './constants.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** Sequential reader over a byte array; `little` selects host order for the v1 formats. */
export class ByteReader {
  /** Offset of the next byte to read. */
  offset: number;
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
    private readonly little = false,
    start = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = start;
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Throws unless `n` more bytes are available for `field`. */
  need(n: number, field: string): void {
    if (n > this.remaining) {
      throw new FormatError(`${this.what}: ${field} needs ${n} bytes, ${this.remaining} left`, {
        offset: this.offset,
      });
    }
  }

  /** Reads an unsigned 8-bit integer. */
  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.offset++);
  }

  /** Reads an unsigned 16-bit integer. */
  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.offset, this.little);
    this.offset += 2;
    return v;
  }

  /** Reads an unsigned 32-bit integer. */
  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.offset, this.little);
    this.offset += 4;
    return v;
  }

  /** Reads a signed 32-bit integer. */
  i32(field: string): number {
    this.need(4, field);
    const v = this.view.getInt32(this.offset, this.little);
    this.offset += 4;
    return v;
  }

  /** Reads `n` bytes (a copy, so the result does not pin the input). */
  take(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  /** Reads a count (16 or 32 bits) and checks that `count * minItemSize` bytes can still follow. */
  count(bits: 16 | 32, minItemSize: number, field: string): number {
    const at = this.offset;
    const n = bits === 16 ? this.u16(field) : this.u32(field);
    if (n * minItemSize > this.remaining) {
      throw new FormatError(`${this.what}: ${field} ${n} cannot fit in the ${this.remaining} bytes left`, {
        offset: at,
      });
    }
    return n;
  }

  /** Reads a length-prefixed octet string (16- or 32-bit length). */
  data(bits: 16 | 32, field: string): Uint8Array {
    const at = this.offset;
    const n = bits === 16 ? this.u16(field) : this.u32(field);
    if (n > this.remaining) {
      throw new FormatError(`${this.what}: ${field} length ${n} exceeds the ${this.remaining} bytes left`, {
        offset: at,
      });
    }
    return this.take(n, field);
  }

  /** Reads a length-prefixed UTF-8 string. */
  text(bits: 16 | 32, field: string): string {
    const at = this.offset;
    const b = this.data(bits, field);
    try {
      return strictUtf8.decode(b);
    } catch (e) {
      throw new FormatError(`${this.what}: ${field} is not valid UTF-8`, { offset: at, cause: e });
    }
  }
}

/** Growable big-endian writer. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Current length in bytes. */
  get length(): number {
    return this.len;
  }

  /** Appends an unsigned 8-bit integer. */
  u8(v: number, field: string): this {
    checkRange(v, 0, 0xff, field);
    this.ensure(1);
    this.view.setUint8(this.len++, v);
    return this;
  }

  /** Appends an unsigned 16-bit integer. */
  u16(v: number, field: string): this {
    checkRange(v, 0, 0xffff, field);
    this.ensure(2);
    this.view.setUint16(this.len, v);
    this.len += 2;
    return this;
  }

  /** Appends an unsigned 32-bit integer. */
  u32(v: number, field: string): this {
    checkRange(v, 0, U32_MAX, field);
    this.ensure(4);
    this.view.setUint32(this.len, v);
    this.len += 4;
    return this;
  }

  /** Appends a signed 32-bit integer. */
  i32(v: number, field: string): this {
    checkRange(v, -0x80000000, 0x7fffffff, field);
    this.ensure(4);
    this.view.setInt32(this.len, v);
    this.len += 4;
    return this;
  }

  /** Appends raw bytes. */
  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Appends a length-prefixed octet string. */
  data(bits: 16 | 32, b: Uint8Array, field: string): this {
    if (bits === 16) this.u16(b.length, `${field} length`);
    else this.u32(b.length, `${field} length`);
    return this.raw(b);
  }

  /** Appends a length-prefixed UTF-8 string. */
  text(bits: 16 | 32, s: string, field: string): this {
    return this.data(bits, utf8Encoder.encode(s), field);
  }

  /** Overwrites a big-endian 32-bit value at `at` (for a length written after its content). */
  patchI32(at: number, v: number): void {
    this.view.setInt32(at, v);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Seconds since the epoch of a time, checked to fit an unsigned 32-bit field (sub-second parts dropped). */
export function secondsOf(d: Date, field: string): number {
  const s = Math.floor(d.getTime() / 1000);
  if (!Number.isInteger(s) || s < 0 || s > U32_MAX) {
    throw new FormatError(`${field} (${d.getTime()} ms) is outside the unsigned 32-bit seconds range`);
  }
  return s;
}

function checkRange(v: number, min: number, max: number, field: string): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new FormatError(`${field} ${v} is outside ${min}..${max}`);
  }
}
