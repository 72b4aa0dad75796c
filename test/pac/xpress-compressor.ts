/**
 * An LZ77+Huffman compressor (MS-XCA 2.1, 2.2) for the tests: greedy LZ77 over a hash chain, length-limited
 * canonical Huffman codes, and the bit writer that keeps two 16-bit words reserved ahead of the inline length bytes,
 * as the decompressor expects them. Written from the spec for test data; not tuned for ratio or speed.
 */
import { XpressHuffman } from '../../src/pac/xpress-huffman.js';

const { SYMBOLS, MAX_CODE_LENGTH, BLOCK_SIZE, MIN_MATCH, LENGTH_ESCAPE, BYTE_ESCAPE, EOF_SYMBOL } =
  XpressHuffman;
const MAX_OFFSET = 0xffff;
const CHAIN_DEPTH = 32;

type Token = { literal: number } | { length: number; offset: number };

/** Greedy LZ77 tokens of data[from, to), matches reaching back to any earlier byte of `data`. */
function tokens(data: Uint8Array, from: number, to: number, heads: Map<number, number[]>): Token[] {
  const out: Token[] = [];
  const key = (i: number) => (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
  const remember = (i: number) => {
    if (i + 2 >= data.length) return;
    const list = heads.get(key(i)) ?? [];
    list.push(i);
    if (list.length > CHAIN_DEPTH) list.shift();
    heads.set(key(i), list);
  };
  let i = from;
  while (i < to) {
    let best = 0;
    let bestOffset = 0;
    if (i + MIN_MATCH <= to) {
      for (const j of heads.get(key(i)) ?? []) {
        if (i - j > MAX_OFFSET) continue;
        let n = 0;
        while (i + n < to && data[j + n] === data[i + n]) n++;
        if (n > best) {
          best = n;
          bestOffset = i - j;
        }
      }
    }
    if (best >= MIN_MATCH) {
      out.push({ length: best, offset: bestOffset });
      for (let k = 0; k < best; k++) remember(i + k);
      i += best;
    } else {
      out.push({ literal: data[i]! });
      remember(i);
      i++;
    }
  }
  return out;
}

function symbolOf(t: Token): number {
  if ('literal' in t) return t.literal;
  const cls = Math.min(t.length - MIN_MATCH, LENGTH_ESCAPE);
  return 256 + ((31 - Math.clz32(t.offset)) << 4) + cls;
}

/** Huffman code lengths of `freq`, at most MAX_CODE_LENGTH bits (frequencies flattened until they fit). */
function codeLengths(freq: readonly number[]): Uint8Array {
  let f = [...freq];
  for (;;) {
    const lengths = new Uint8Array(SYMBOLS);
    const used = f.flatMap((n, s) => (n > 0 ? [s] : []));
    if (used.length === 1) {
      lengths[used[0]!] = 1;
      return lengths;
    }
    type N = { w: number; syms: number[] };
    let nodes: N[] = used.map((s) => ({ w: f[s]!, syms: [s] }));
    while (nodes.length > 1) {
      nodes.sort((a, b) => a.w - b.w);
      const [a, b] = nodes as [N, N];
      for (const s of [...a.syms, ...b.syms]) lengths[s]!++;
      nodes = [{ w: a.w + b.w, syms: [...a.syms, ...b.syms] }, ...nodes.slice(2)];
    }
    if (Math.max(...lengths) <= MAX_CODE_LENGTH) return lengths;
    f = f.map((n) => (n > 0 ? (n >> 1) | 1 : 0));
  }
}

/** Canonical codes: by length, then by symbol (MS-XCA 2.1). */
function canonicalCodes(lengths: Uint8Array): Uint32Array {
  const codes = new Uint32Array(SYMBOLS);
  let code = 0;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
    for (let s = 0; s < SYMBOLS; s++) if (lengths[s] === len) codes[s] = code++;
    code <<= 1;
  }
  return codes;
}

/** 16-bit words MSB first, two reserved ahead of the inline bytes. */
class BitWriter {
  #slot1: number;
  #slot2: number;
  #acc = 0;
  #free = 16;
  constructor(readonly out: number[]) {
    this.#slot1 = out.length;
    this.#slot2 = out.length + 2;
    out.push(0, 0, 0, 0);
  }
  #put(at: number, w: number): void {
    this.out[at] = w & 0xff;
    this.out[at + 1] = (w >> 8) & 0xff;
  }
  bits(n: number, v: number): void {
    if (n <= this.#free) {
      this.#acc = (this.#acc << n) | v;
      this.#free -= n;
      return;
    }
    const rest = n - this.#free;
    this.#put(this.#slot1, (this.#acc << this.#free) | (v >>> rest));
    this.#slot1 = this.#slot2;
    this.#slot2 = this.out.length;
    this.out.push(0, 0);
    this.#acc = v & ((1 << rest) - 1);
    this.#free = 16 - rest;
  }
  byte(b: number): void {
    this.out.push(b & 0xff);
  }
  flush(): void {
    this.#put(this.#slot1, this.#acc << this.#free);
  }
}

/** Compresses `data` with LZ77+Huffman; blocks of 65536 output bytes, the last one ending with the EOF symbol. */
export function compressXpressHuffman(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  const heads = new Map<number, number[]>();
  for (let from = 0; from < data.length || from === 0; from += BLOCK_SIZE) {
    const to = Math.min(from + BLOCK_SIZE, data.length);
    const toks = tokens(data, from, to, heads);
    const last = to === data.length;
    const freq = new Array<number>(SYMBOLS).fill(0);
    for (const t of toks) freq[symbolOf(t)]!++;
    if (last) freq[EOF_SYMBOL]!++;
    const lengths = codeLengths(freq);
    const codes = canonicalCodes(lengths);
    for (let i = 0; i < SYMBOLS / 2; i++) out.push(lengths[2 * i]! | (lengths[2 * i + 1]! << 4));
    const w = new BitWriter(out);
    const sym = (s: number) => w.bits(lengths[s]!, codes[s]!);
    for (const t of toks) {
      const s = symbolOf(t);
      sym(s);
      if ('literal' in t) continue;
      const extra = t.length - MIN_MATCH;
      if (extra >= LENGTH_ESCAPE) {
        if (extra - LENGTH_ESCAPE < BYTE_ESCAPE) w.byte(extra - LENGTH_ESCAPE);
        else {
          w.byte(BYTE_ESCAPE);
          w.byte(extra);
          w.byte(extra >> 8);
        }
      }
      const bits = 31 - Math.clz32(t.offset);
      w.bits(bits, t.offset - (1 << bits));
    }
    if (last) sym(EOF_SYMBOL);
    w.flush();
    if (data.length === 0) break;
  }
  return Uint8Array.from(out);
}
