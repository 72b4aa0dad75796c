/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers, extension headers skipped, fragments reassembled with bounds. Each
 * packet yields its transport payload, a note that it was held as a fragment, or why it was skipped.
 */
import { IpProto, Limits } from './constants.js';
import type { LinkPayload } from './link.js';

/** A transport payload with its IP addresses. */
export interface IpPacket {
  readonly kind: 'packet';
  readonly src: string;
  readonly dst: string;
  readonly proto: number;
  readonly payload: Uint8Array;
}

/** What one IP packet gave. */
export type IpResult =
  | IpPacket
  | { readonly kind: 'held' }
  | {
      readonly kind: 'skip';
      readonly reason: string;
      /** Source and destination ports of a packet cut short, when its TCP or UDP header was captured. */
      readonly ports?: readonly [number, number];
    };

const IPV4_MIN_HEADER = 20;
const IPV6_HEADER = 40;
const IPV4_MORE_FRAGMENTS = 0x2000;
const IPV4_OFFSET_MASK = 0x1fff;
const IPV6_MORE_FRAGMENTS = 0x1;
const FRAGMENT_UNIT = 8;
const IPV6_FRAGMENT_HEADER = 8;

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

/** Dotted-quad text of 4 bytes. */
function ipv4Text(b: Uint8Array): string {
  return [...b].join('.');
}

/** RFC 5952 text of 16 bytes: lower-case hex, the longest run of two or more zero groups as `::`. */
export function ipv6Text(b: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => u16(b, i * 2));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

interface Pending {
  /** Fragment data by offset (the longest seen at each offset). */
  parts: Map<number, Uint8Array>;
  /** Which 8-byte units have arrived, and how many. */
  units: Uint8Array;
  covered: number;
  /** Furthest byte any fragment reached, and the datagram's length once its last fragment arrived. */
  end: number;
  total?: number;
}

const MAX_UNITS = Math.ceil(Limits.MAX_DATAGRAM / FRAGMENT_UNIT);

/**
 * Reassembles fragmented datagrams. Bounded: at most MAX_FRAGMENTED datagrams at once (the oldest incomplete one is
 * dropped first), 65535 bytes each, and work linear in the bytes received (arrival is tracked per 8-byte unit).
 */
export class Defragmenter {
  readonly #pending = new Map<string, Pending>();
  dropped = 0;

  #start(key: string): Pending {
    if (this.#pending.size >= Limits.MAX_FRAGMENTED) {
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
      this.dropped++;
    }
    const p: Pending = { parts: new Map(), units: new Uint8Array(MAX_UNITS), covered: 0, end: 0 };
    this.#pending.set(key, p);
    return p;
  }

  /** Adds a fragment; returns the whole payload once every byte has arrived, or 'bad' for impossible fragments. */
  add(key: string, offset: number, more: boolean, data: Uint8Array): Uint8Array | 'held' | 'bad' {
    const end = offset + data.length;
    if (end > Limits.MAX_DATAGRAM) {
      this.#pending.delete(key);
      return 'bad';
    }
    const p = this.#pending.get(key) ?? this.#start(key);
    if (!more) {
      if (p.total !== undefined && p.total !== end) p.end = Number.POSITIVE_INFINITY;
      p.total = end;
    }
    p.end = Math.max(p.end, end);
    if (p.total !== undefined && p.end > p.total) {
      this.#pending.delete(key);
      return 'bad';
    }
    const had = p.parts.get(offset);
    if (had === undefined || had.length < data.length) p.parts.set(offset, data);
    for (let u = offset / FRAGMENT_UNIT; u < Math.ceil(end / FRAGMENT_UNIT); u++) {
      if (p.units[u] === 0) {
        p.units[u] = 1;
        p.covered++;
      }
    }
    if (p.total === undefined || p.covered < Math.ceil(p.total / FRAGMENT_UNIT)) return 'held';
    this.#pending.delete(key);
    const whole = new Uint8Array(p.total);
    for (const [at, part] of p.parts) whole.set(part, at);
    return whole;
  }
}

function fragmentResult(r: Uint8Array | 'held' | 'bad', src: string, dst: string, proto: number): IpResult {
  if (r === 'held') return { kind: 'held' };
  if (r === 'bad')
    return { kind: 'skip', reason: 'fragments run past 65535 bytes or disagree on where the datagram ends' };
  return { kind: 'packet', src, dst, proto, payload: r };
}

const PORTS_LENGTH = 4;

/** A packet the capture's snap length cut: skipped, with its ports when a TCP or UDP header starts at `at`. */
function cutShort(version: string, b: Uint8Array, at: number, proto: number): IpResult {
  const reason = `${version} packet cut short by the capture (snap length)`;
  if ((proto !== IpProto.TCP && proto !== IpProto.UDP) || at + PORTS_LENGTH > b.length)
    return { kind: 'skip', reason };
  return { kind: 'skip', reason, ports: [u16(b, at), u16(b, at + 2)] };
}

function ipv4(b: Uint8Array, defrag: Defragmenter): IpResult {
  if (b.length < IPV4_MIN_HEADER) return { kind: 'skip', reason: 'IPv4 header cut short' };
  const ihl = (b[0]! & 0x0f) * 4;
  const total = u16(b, 2);
  if (ihl < IPV4_MIN_HEADER || total < ihl)
    return { kind: 'skip', reason: 'IPv4 header lengths are invalid' };
  if (total > b.length) return cutShort('IPv4', b, ihl, b[9]!);
  const src = ipv4Text(b.subarray(12, 16));
  const dst = ipv4Text(b.subarray(16, 20));
  const proto = b[9]!;
  const payload = b.subarray(ihl, total);
  const frag = u16(b, 6);
  const offset = (frag & IPV4_OFFSET_MASK) * FRAGMENT_UNIT;
  const more = (frag & IPV4_MORE_FRAGMENTS) !== 0;
  if (offset === 0 && !more) return { kind: 'packet', src, dst, proto, payload };
  const key = `4|${src}|${dst}|${u16(b, 4)}|${proto}`;
  return fragmentResult(defrag.add(key, offset, more, payload), src, dst, proto);
}

const IPV6_EXTENSIONS = new Set<number>([IpProto.HOP_BY_HOP, IpProto.ROUTING, IpProto.DEST_OPTS]);

function ipv6(b: Uint8Array, defrag: Defragmenter): IpResult {
  if (b.length < IPV6_HEADER) return { kind: 'skip', reason: 'IPv6 header cut short' };
  const length = u16(b, 4);
  if (length === 0) return { kind: 'skip', reason: 'IPv6 jumbograms are not read' };
  if (IPV6_HEADER + length > b.length) return cutShort('IPv6', b, IPV6_HEADER, b[6]!);
  const src = ipv6Text(b.subarray(8, 24));
  const dst = ipv6Text(b.subarray(24, 40));
  const end = IPV6_HEADER + length;
  let next = b[6]!;
  let at = IPV6_HEADER;
  for (let n = 0; n <= Limits.MAX_IPV6_EXTENSIONS; n++) {
    if (IPV6_EXTENSIONS.has(next)) {
      if (at + 2 > end) return { kind: 'skip', reason: 'IPv6 extension header cut short' };
      const nextAt = at + (b[at + 1]! + 1) * 8;
      next = b[at]!;
      at = nextAt;
      continue;
    }
    if (next === IpProto.FRAGMENT) {
      if (at + IPV6_FRAGMENT_HEADER > end) return { kind: 'skip', reason: 'IPv6 fragment header cut short' };
      const field = u16(b, at + 2);
      const id = new DataView(b.buffer, b.byteOffset + at + 4, 4).getUint32(0);
      const proto = b[at]!;
      const data = b.subarray(at + IPV6_FRAGMENT_HEADER, end);
      const offset = (field >> 3) * FRAGMENT_UNIT;
      const more = (field & IPV6_MORE_FRAGMENTS) !== 0;
      if (offset === 0 && !more) return { kind: 'packet', src, dst, proto, payload: data };
      return fragmentResult(defrag.add(`6|${src}|${dst}|${id}`, offset, more, data), src, dst, proto);
    }
    if (at > end) return { kind: 'skip', reason: 'IPv6 extension headers run past the packet' };
    return { kind: 'packet', src, dst, proto: next, payload: b.subarray(at, end) };
  }
  return { kind: 'skip', reason: 'too many IPv6 extension headers' };
}

/** The transport payload of an IP packet, reassembling fragments through `defrag`. */
export function ipPayload(p: LinkPayload, defrag: Defragmenter): IpResult {
  return p.version === 4 ? ipv4(p.bytes, defrag) : ipv6(p.bytes, defrag);
}
