/**
 * LZ77+Huffman decompression (MS-XCA 2.1, 2.2), COMPRESSION_FORMAT_XPRESS_HUFF: what Windows KDCs use for large
 * PAC claims sets (MS-PAC 2.11). Each block of up to 65536 output bytes starts with a 256-byte table of 4-bit
 * canonical Huffman code lengths for 512 symbols (0-255 literals, 256-511 matches), then a bit stream read as
 * 16-bit little-endian words, most significant bit first, with a match's long-length bytes inline.
 * Every length and offset read from the input is checked: hostile input ends in a PacDecodeError, never a read or
 * write outside its buffers, and the output never grows past the size the caller expects.
 */
import { PacDecodeError } from '../errors.js';

/** The shape of the format (MS-XCA 2.1). */
export const XpressHuffman = {
  /** Symbols: 256 literals and 256 match symbols (16 length classes x 16 offset bit lengths). */
  SYMBOLS: 512,
  /** Bytes of a block's code-length table (4 bits per symbol). */
  TABLE_BYTES: 256,
  /** Longest code. */
  MAX_CODE_LENGTH: 15,
  /** Output bytes per block. */
  BLOCK_SIZE: 65536,
  /** Shortest match. */
  MIN_MATCH: 3,
  /** The match-length class that escapes to extra length bytes. */
  LENGTH_ESCAPE: 15,
  /** The extra length byte that escapes to a 16-bit (then 32-bit) length. */
  BYTE_ESCAPE: 255,
  /** The end-of-stream symbol a compressor writes last (match of length 3, offset 1). */
  EOF_SYMBOL: 256,
} as const;

/** Largest output accepted: far above any PAC claims set, low enough that a hostile size cannot exhaust memory. */
export const MAX_XPRESS_OUTPUT = 16 * 1024 * 1024;

const LITERALS = 256;
const TABLE_SIZE = 1 << XpressHuffman.MAX_CODE_LENGTH;
const NO_SYMBOL = 0xffff;
/** How far past the end the bit reader may look: it keeps the next 32 bits loaded, two words ahead. */
const LOOKAHEAD_BYTES = 4;

/** A canonical Huffman decoding table: each 15-bit prefix -> symbol, and each symbol's code length. */
interface DecodingTable {
  readonly symbols: Uint16Array;
  readonly lengths: Uint8Array;
}

/** Builds the decoding table of one block (MS-XCA 2.2.4, canonical codes by length then symbol). */
function decodingTable(input: Uint8Array, at: number, base: number): DecodingTable {
  const lengths = new Uint8Array(XpressHuffman.SYMBOLS);
  for (let i = 0; i < XpressHuffman.TABLE_BYTES; i++) {
    const b = input[at + i] ?? 0;
    lengths[2 * i] = b & 0x0f;
    lengths[2 * i + 1] = b >> 4;
  }
  const symbols = new Uint16Array(TABLE_SIZE).fill(NO_SYMBOL);
  let next = 0;
  for (let len = 1; len <= XpressHuffman.MAX_CODE_LENGTH; len++) {
    const span = 1 << (XpressHuffman.MAX_CODE_LENGTH - len);
    for (let sym = 0; sym < XpressHuffman.SYMBOLS; sym++) {
      if (lengths[sym] !== len) continue;
      if (next + span > TABLE_SIZE)
        throw new PacDecodeError(
          base + at,
          'XPRESS_HUFF: the Huffman code lengths over-subscribe the code space',
        );
      symbols.fill(sym, next, next + span);
      next += span;
    }
  }
  return { symbols, lengths };
}

/** Reads the bit stream and the inline bytes of one compressed buffer. */
class BitReader {
  /** The next 32 bits, most significant first. */
  #bits = 0;
  /** Bits loaded beyond the 16 the next symbol may need. */
  #extra = 16;
  pos: number;

  constructor(
    readonly input: Uint8Array,
    start: number,
    readonly base: number,
  ) {
    this.pos = start;
    this.#bits = ((this.#word() << 16) | this.#word()) >>> 0;
  }

  #fail(reason: string): never {
    throw new PacDecodeError(this.base + this.pos, `XPRESS_HUFF: ${reason}`);
  }

  /** A 16-bit little-endian word; zeros past the end, within the reader's lookahead. */
  #word(): number {
    if (this.pos + 2 > this.input.length + LOOKAHEAD_BYTES) this.#fail('the bit stream ends early');
    const w = (this.input[this.pos] ?? 0) | ((this.input[this.pos + 1] ?? 0) << 8);
    this.pos += 2;
    return w;
  }

  /** The top `n` bits (n <= 15), without consuming them. */
  peek(n: number): number {
    return n === 0 ? 0 : this.#bits >>> (32 - n);
  }

  /** Consumes `n` bits (n <= 15) and refills from the next word when fewer than 16 remain loaded. */
  skip(n: number): void {
    this.#bits = (this.#bits << n) >>> 0;
    this.#extra -= n;
    if (this.#extra < 0) {
      this.#bits = (this.#bits | (this.#word() << -this.#extra)) >>> 0;
      this.#extra += 16;
    }
  }

  /** An inline byte (a match's extra length). */
  byte(): number {
    const b = this.input[this.pos];
    if (b === undefined) this.#fail('a match length byte is missing');
    this.pos += 1;
    return b;
  }

  /** An inline little-endian integer of `n` bytes. */
  uint(n: 2 | 4): number {
    if (this.pos + n > this.input.length) this.#fail('a match length is missing');
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + (this.input[this.pos + i] ?? 0);
    this.pos += n;
    return v;
  }
}

/** The length of a match whose symbol's length class is `cls` (MS-XCA 2.2.4). */
function matchLength(cls: number, r: BitReader): number {
  if (cls < XpressHuffman.LENGTH_ESCAPE) return cls + XpressHuffman.MIN_MATCH;
  const b = r.byte();
  if (b < XpressHuffman.BYTE_ESCAPE) return b + XpressHuffman.LENGTH_ESCAPE + XpressHuffman.MIN_MATCH;
  let len = r.uint(2);
  if (len === 0) len = r.uint(4);
  if (len < XpressHuffman.LENGTH_ESCAPE)
    throw new PacDecodeError(r.base + r.pos, `XPRESS_HUFF: escaped match length ${len} is below 15`);
  return len + XpressHuffman.MIN_MATCH;
}

/**
 * Decompresses LZ77+Huffman `input` into exactly `outputSize` bytes (MS-XCA 2.2). `base` is where `input` starts in
 * the PAC, for error offsets. PacDecodeError on a size out of bounds, a bad code table, a match before the start
 * of the output or past its end, or a stream that ends early.
 */
export function decompressXpressHuffman(input: Uint8Array, outputSize: number, base = 0): Uint8Array {
  if (!Number.isSafeInteger(outputSize) || outputSize < 0 || outputSize > MAX_XPRESS_OUTPUT)
    throw new PacDecodeError(base, `XPRESS_HUFF: uncompressed size ${outputSize} is out of bounds`);
  const out = new Uint8Array(outputSize);
  let o = 0;
  let at = 0;
  while (o < outputSize) {
    if (at + XpressHuffman.TABLE_BYTES > input.length)
      throw new PacDecodeError(
        base + at,
        `XPRESS_HUFF: a block's Huffman table is missing at ${o} of ${outputSize} bytes`,
      );
    const table = decodingTable(input, at, base);
    const r = new BitReader(input, at + XpressHuffman.TABLE_BYTES, base);
    const blockEnd = Math.min(o + XpressHuffman.BLOCK_SIZE, outputSize);
    while (o < blockEnd) {
      const sym = table.symbols[r.peek(XpressHuffman.MAX_CODE_LENGTH)] ?? NO_SYMBOL;
      if (sym === NO_SYMBOL)
        throw new PacDecodeError(base + r.pos, 'XPRESS_HUFF: a bit sequence that is no Huffman code');
      r.skip(table.lengths[sym] ?? 0);
      if (sym < LITERALS) {
        out[o++] = sym;
        continue;
      }
      const m = sym - LITERALS;
      const length = matchLength(m & 0x0f, r);
      const offsetBits = m >> 4;
      const offset = (1 << offsetBits) + r.peek(offsetBits);
      r.skip(offsetBits);
      if (offset > o)
        throw new PacDecodeError(
          base + r.pos,
          `XPRESS_HUFF: match offset ${offset} before the start of the output`,
        );
      if (length > outputSize - o)
        throw new PacDecodeError(
          base + r.pos,
          `XPRESS_HUFF: match of ${length} bytes past the uncompressed size`,
        );
      // Byte by byte: a match may overlap the bytes it produces (offset < length).
      for (let i = 0; i < length; i++, o++) out[o] = out[o - offset] ?? 0;
    }
    at = r.pos;
  }
  return out;
}
