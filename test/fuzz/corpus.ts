/**
 * Seeds for mutation fuzzing: real messages recorded from the MIT lab, the published reference encodings, the
 * PAC examples, creds fixtures, and every DER element nested inside them (padata values, ad-data, tickets).
 */
import { readFileSync } from 'node:fs';
import { decodeEncTicketPart } from '../../src/asn1/index.js';
import { findPac } from '../../src/pac/index.js';
import { fromHex, toHex } from '../../src/util/bytes.js';

/** A seed and where it came from. */
export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const vector = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../vectors/${file}`, import.meta.url), 'utf8'));

interface Captured {
  items: { name: string; kind: string; hex: string }[];
}

/** Items of test/vectors/captured-mit.json by kind (`AS-REP`, `EncTicketPart`, `ccache`, `krb5.conf`, …). */
export const captured: readonly { name: string; kind: string; bytes: Uint8Array }[] = (
  vector('captured-mit.json') as Captured
).items.map((i) => ({ name: `mit: ${i.name}`, kind: i.kind, bytes: fromHex(i.hex) }));

/** Captured items of one kind. */
export function capturedOf(...kinds: string[]): Seed[] {
  return captured.filter((c) => kinds.includes(c.kind));
}

const reference = (vector('asn1-reference.json') as { mitName: string; der: string }[]).map((r) => ({
  name: `reference: ${r.mitName}`,
  bytes: fromHex(r.der),
}));

/** One TLV found by {@link derElements}. */
interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** The TLVs at the top level of b[start, end), or undefined when they do not tile the range exactly. */
function tlvs(b: Uint8Array, start: number, end: number): Tlv[] | undefined {
  const out: Tlv[] = [];
  let p = start;
  while (p < end) {
    if (p + 2 > end) return undefined;
    const tag = b[p]!;
    let len = b[p + 1]!;
    let hdr = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3 || p + 2 + n > end) return undefined;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p + 2 + i]!;
      hdr += n;
    }
    if (p + hdr + len > end) return undefined;
    out.push({ tag, start: p, contentStart: p + hdr, end: p + hdr + len });
    p += hdr + len;
  }
  return out;
}

/**
 * Every constructed element nested in a DER encoding, and the DER inside OCTET STRINGs (padata-value,
 * ad-data, KKDCP messages), as separate byte strings. A test-side walker, independent of src/asn1.
 */
export function derElements(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const walk = (start: number, end: number): void => {
    for (const t of tlvs(b, start, end) ?? []) {
      const constructed = (t.tag & 0x20) !== 0;
      if (constructed) {
        out.push(b.slice(t.start, t.end));
        walk(t.contentStart, t.end);
      } else if (t.tag === 0x04 && t.end > t.contentStart) {
        const inner = tlvs(b, t.contentStart, t.end);
        if (inner?.length === 1) walk(t.contentStart, t.end);
      }
    }
  };
  walk(0, b.length);
  return out;
}

/** Offsets of every DER length octet in `b` (for length-field mutations); empty for non-DER input. */
export function derLengthOffsets(b: Uint8Array): number[] {
  const out: number[] = [];
  const walk = (start: number, end: number): void => {
    for (const t of tlvs(b, start, end) ?? []) {
      out.push(t.start + 1);
      if (t.tag & 0x20) walk(t.contentStart, t.end);
    }
  };
  walk(0, b.length);
  return out;
}

function dedupe(seeds: readonly Seed[]): Seed[] {
  const seen = new Set<string>();
  return seeds.filter((s) => {
    const k = toHex(s.bytes);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Every DER seed: whole messages and the elements nested in them. */
export const derCorpus: readonly Seed[] = dedupe(
  [...captured.filter((c) => !['ccache', 'keytab', 'krb5.conf'].includes(c.kind)), ...reference].flatMap(
    (s) => [s, ...derElements(s.bytes).map((bytes, i) => ({ name: `${s.name} / element ${i}`, bytes }))],
  ),
);

/** PACs: the Heimdal/Samba examples, the gokrb5 (Windows) PAC, and the MIT lab's from a service ticket. */
export function pacSeeds(): Seed[] {
  const ex = vector('pac-examples.json') as { pacs: { name: string; pac: string }[] };
  const seeds: Seed[] = ex.pacs.map((p) => ({ name: `pac-examples: ${p.name}`, bytes: fromHex(p.pac) }));
  for (const c of capturedOf('EncTicketPart')) {
    const pac = findPac(decodeEncTicketPart(c.bytes).authorizationData ?? []);
    if (pac) seeds.push({ name: `${c.name} / PAC`, bytes: pac });
  }
  return dedupe(seeds);
}

/** A file from test/creds/fixtures. */
export function credsFixture(name: string): Seed {
  return {
    name: `creds fixture ${name}`,
    bytes: new Uint8Array(readFileSync(new URL(`../creds/fixtures/${name}`, import.meta.url))),
  };
}
