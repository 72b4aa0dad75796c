/** Bounds-checked integer reads over capture bytes: every read past the end is a FormatError, never a RangeError. */
import { FormatError } from '../errors.js';

/** Integer reads of either byte order at absolute offsets of `bytes`. */
export class ByteView {
  readonly #dv: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public littleEndian = false,
  ) {
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  #need(at: number, n: number, what: string): void {
    if (at < 0 || at + n > this.bytes.length)
      throw new FormatError(`${what}: needs ${n} bytes, the data ends`, { offset: at });
  }

  /** An unsigned byte. */
  u8(at: number, what: string): number {
    this.#need(at, 1, what);
    return this.#dv.getUint8(at);
  }

  /** An unsigned 16-bit integer in the view's byte order. */
  u16(at: number, what: string): number {
    this.#need(at, 2, what);
    return this.#dv.getUint16(at, this.littleEndian);
  }

  /** An unsigned 32-bit integer in the view's byte order. */
  u32(at: number, what: string): number {
    this.#need(at, 4, what);
    return this.#dv.getUint32(at, this.littleEndian);
  }

  /** `n` bytes at `at`, sharing memory with the input. */
  slice(at: number, n: number, what: string): Uint8Array {
    this.#need(at, n, what);
    return this.bytes.subarray(at, at + n);
  }
}
