/**
 * The bytes behind each explained node, as the decoders read them (asn1/der-spans): which buffer (the input, or a
 * plaintext the explanation decrypted), and where in it the node's element and its contents are. Nested encodings
 * (a padata-value, an ad-data, the cipher of etype 0) are decoded apart but found again inside the buffer that holds
 * them, so their nodes point into that buffer.
 */

import { type DerSpan, DerSpans, unwrapped } from '../asn1/der-spans.js';
import type { DecodeOptions } from '../asn1/index.js';

/** Where a node's bytes are: the element `[offset, offset + length)` and its contents, in `buffers[buffer]`. */
export interface NodeSpan {
  /** Index into {@link ByteSpans.buffers}: the input explained first, then each plaintext in the order it opened. */
  readonly buffer: number;
  readonly offset: number;
  readonly length: number;
  readonly valueOffset: number;
  readonly valueLength: number;
}

/** Bytes that spans point into. */
export interface SpanBuffer {
  /** `input`, or what was decrypted: `plaintext of enc-part (EncTicketPart)`. */
  readonly label: string;
  readonly bytes: Uint8Array;
  /** For a plaintext: the ciphertext it was decrypted from (the cipher's octets, in an earlier buffer). */
  readonly from?: NodeSpan;
}

/** A buffer and where bytes decoded apart start in it. */
interface Where {
  readonly buffer: number;
  readonly base: number;
}

/**
 * Asks an explanation for byte spans (`ExplainOptions.spans`): decode the input with `{ spans: s.table }`, explain
 * with `{ spans: s }`; each node then carries `span`, and `buffers` holds the bytes the spans point into.
 */
export class ByteSpans {
  /** The decoders' record of where each value came from: pass it as `DecodeOptions.spans` when decoding the input. */
  readonly table = new DerSpans();
  readonly #buffers: SpanBuffer[] = [];
  /** Every run of bytes whose place is known: the buffers themselves, and bytes decoded apart (copies out of one). */
  readonly #known: { readonly bytes: Uint8Array; readonly at: Where }[] = [];
  /** Decode options that record spans in {@link table}, for bytes that lie in a buffer (or are views of such bytes). */
  readonly decode: Readonly<DecodeOptions> = { spans: this.table };

  /** The input (first), then each plaintext the explanation decrypted. */
  get buffers(): readonly SpanBuffer[] {
    return this.#buffers;
  }

  /** Where `bytes` lie: known bytes, or a view into known bytes. */
  #where(bytes: Uint8Array): Where | undefined {
    for (const k of this.#known) {
      if (k.bytes === bytes) return k.at;
      const base = bytes.byteOffset - k.bytes.byteOffset;
      if (bytes.buffer === k.bytes.buffer && base >= 0 && base + bytes.length <= k.bytes.length)
        return { buffer: k.at.buffer, base: k.at.base + base };
    }
    return undefined;
  }

  /** Notes that `bytes` lie at `at` (a copy decoded apart), unless their place is known already. */
  #place(bytes: Uint8Array, at: Where): void {
    if (this.#where(bytes) === undefined) this.#known.push({ bytes, at });
  }

  /** Notes `bytes` as a buffer of its own, first come first numbered. */
  #add(bytes: Uint8Array, buffer: Omit<SpanBuffer, 'bytes'>): void {
    this.#known.push({ bytes, at: { buffer: this.#buffers.length, base: 0 } });
    this.#buffers.push({ ...buffer, bytes });
  }

  /**
   * Notes the input explained, as the first buffer: the bytes `value` was decoded from (or `value` itself, bytes);
   * nothing once a buffer is noted. Bytes no buffer holds get no spans rather than wrong ones.
   */
  input(value: unknown): void {
    const bytes = value instanceof Uint8Array ? value : this.#decodedFrom(value);
    if (bytes !== undefined && this.#buffers.length === 0) this.#add(bytes, { label: 'input' });
  }

  #decodedFrom(value: unknown): Uint8Array | undefined {
    return typeof value === 'object' && value !== null ? this.table.of(value)?.input : undefined;
  }

  #at(w: Where, s: DerSpan): NodeSpan {
    return {
      buffer: w.buffer,
      offset: w.base + s.offset,
      length: s.length,
      valueOffset: w.base + s.valueOffset,
      valueLength: s.valueLength,
    };
  }

  /** `length` bytes at `offset` from where `w` starts: bytes that are not one DER element, their whole as value. */
  #run(w: Where, offset: number, length: number): NodeSpan {
    return {
      buffer: w.buffer,
      offset: w.base + offset,
      length,
      valueOffset: w.base + offset,
      valueLength: length,
    };
  }

  /**
   * The span of a value as decoded (its outermost element: a field's `[n]` tag, a message's APPLICATION tag), or of
   * bytes that lie in a buffer (a padata-value: the octets themselves).
   */
  of(v: unknown): NodeSpan | undefined {
    if (typeof v !== 'object' || v === null) return undefined;
    const e = this.table.of(v);
    if (e === undefined) return v instanceof Uint8Array ? this.range(v, 0, v.length) : undefined;
    const w = this.#where(e.input);
    return w === undefined ? undefined : this.#at(w, e.span);
  }

  #input(owner: object): Where | undefined {
    const e = this.table.of(owner);
    return e === undefined ? undefined : this.#where(e.input);
  }

  /** The span of field `key` (property name) of the structure `owner`. */
  field(owner: object, key: string): NodeSpan | undefined {
    const s = this.table.field(owner, key);
    const w = s === undefined ? undefined : this.#input(owner);
    return w === undefined ? undefined : this.#at(w, s!);
  }

  /** The span of the octets of byte field `key` of `owner` (an OCTET STRING's contents, the tag unwrapped). */
  octets(owner: object, key: string): NodeSpan | undefined {
    const s = this.table.field(owner, key);
    const w = s === undefined ? undefined : this.#input(owner);
    if (w === undefined) return undefined;
    const o = unwrapped(s!);
    return this.#run(w, o.valueOffset, o.valueLength);
  }

  /** The span of item `i` of the SEQUENCE OF `list`. */
  item(list: readonly unknown[], i: number): NodeSpan | undefined {
    const s = this.table.item(list, i);
    const w = s === undefined ? undefined : this.#input(list);
    return w === undefined ? undefined : this.#at(w, s!);
  }

  /**
   * Decode options for the bytes of field `key` of `owner` (an OCTET STRING holding DER): their place in the buffer
   * is noted first, so what they decode to gets spans in that buffer. `bytes` are the field's value when `owner` is
   * not the object holding it (a reader that rebuilt its value after reading the fields).
   */
  nested(
    owner: object,
    key: string,
    bytes: unknown = (owner as Record<string, unknown>)[key],
  ): Readonly<DecodeOptions> {
    const o = this.octets(owner, key);
    if (bytes instanceof Uint8Array && o !== undefined && o.length === bytes.length)
      this.#place(bytes, { buffer: o.buffer, base: o.offset });
    return this.decode;
  }

  /** A span of `length` bytes at `offset` of `bytes` (bytes located earlier, such as a PAC's): for non-DER parts. */
  range(bytes: Uint8Array, offset: number, length: number): NodeSpan | undefined {
    const w = this.#where(bytes);
    if (w === undefined || offset < 0 || length < 0 || offset + length > bytes.length) return undefined;
    return this.#run(w, offset, length);
  }

  /**
   * Notes the plaintext `value` was decoded from as a buffer of its own (`label`, decrypted from `from`), unless it
   * lies in a buffer already (the etype 0 enc-part of a KRB-CRED is its own cipher).
   */
  plaintext(value: unknown, label: string, from: NodeSpan | undefined): void {
    const bytes = this.#decodedFrom(value);
    if (bytes === undefined || this.#where(bytes) !== undefined) return;
    this.#add(bytes, from === undefined ? { label } : { label, from });
  }
}
