/**
 * A DER element tree with byte offsets (X.690 8.1), for the byte pane: each element's tag, where it starts and ends.
 * Reads only what is well formed; what is not stays a leaf. Bounded by the input's length and a depth limit.
 */

/** One DER element: [start, end) in the bytes, its tag in words, and the elements inside a constructed one. */
export interface DerElement {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly children: DerElement[];
}

const MAX_DEPTH = 32;
const CLASSES = ['UNIVERSAL', 'APPLICATION', 'CONTEXT', 'PRIVATE'] as const;
const UNIVERSAL: Readonly<Record<number, string>> = {
  1: 'BOOLEAN',
  2: 'INTEGER',
  3: 'BIT STRING',
  4: 'OCTET STRING',
  5: 'NULL',
  6: 'OBJECT IDENTIFIER',
  10: 'ENUMERATED',
  12: 'UTF8String',
  16: 'SEQUENCE',
  17: 'SET',
  22: 'IA5String',
  24: 'GeneralizedTime',
  27: 'GeneralString',
};

function tagName(id: number): string {
  const cls = CLASSES[id >> 6]!;
  const num = id & 0x1f;
  if (cls === 'UNIVERSAL') return UNIVERSAL[num] ?? `[UNIVERSAL ${num}]`;
  return cls === 'CONTEXT' ? `[${num}]` : `[${cls} ${num}]`;
}

function element(b: Uint8Array, at: number, limit: number, depth: number): DerElement | undefined {
  if (at + 2 > limit || (b[at]! & 0x1f) === 0x1f) return undefined;
  const first = b[at + 1]!;
  let header = 2;
  let len = first;
  if (first >= 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || at + 2 + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i]!;
    header += n;
  }
  const end = at + header + len;
  if (end > limit) return undefined;
  const children: DerElement[] = [];
  if ((b[at]! & 0x20) !== 0 && depth < MAX_DEPTH) children.push(...elements(b, at + header, end, depth + 1));
  return { start: at, end, name: tagName(b[at]!), children };
}

function elements(b: Uint8Array, from: number, to: number, depth: number): DerElement[] {
  const out: DerElement[] = [];
  let at = from;
  while (at < to) {
    const e = element(b, at, to, depth);
    if (e === undefined) return out;
    out.push(e);
    at = e.end;
  }
  return out;
}

/** The DER elements of `b`, outermost first. */
export function derTree(b: Uint8Array): DerElement[] {
  return elements(b, 0, b.length, 0);
}

/** The innermost element holding byte `i`. */
export function innermostAt(list: readonly DerElement[], i: number): DerElement | undefined {
  for (const e of list) {
    if (i < e.start || i >= e.end) continue;
    return innermostAt(e.children, i) ?? e;
  }
  return undefined;
}
