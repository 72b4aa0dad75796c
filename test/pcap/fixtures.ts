/**
 * Capture files and packets built byte by byte from the format specs (draft-ietf-opsawg-pcap, -pcapng, RFC 791,
 * RFC 8200, RFC 768, RFC 9293, tcpdump.org link types), independent of the reader under test.
 */
import { concat } from '../../src/util/bytes.js';

/** A growing byte buffer with either byte order. */
class Writer {
  readonly parts: number[] = [];
  constructor(readonly little: boolean) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    const b = [(v >>> 8) & 0xff, v & 0xff];
    this.parts.push(...(this.little ? b.reverse() : b));
    return this;
  }
  u32(v: number): this {
    const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    this.parts.push(...(this.little ? b.reverse() : b));
    return this;
  }
  bytes(b: Uint8Array): this {
    this.parts.push(...b);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4 !== 0) this.parts.push(0);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** A packet to write: seconds, sub-second units, bytes. */
export interface FixturePacket {
  sec: number;
  frac: number;
  data: Uint8Array;
}

/** A libpcap file: header (magic a1b2c3d4 or a1b23c4d in the chosen byte order, version 2.4) and records. */
export function pcapFile(o: {
  little: boolean;
  nano: boolean;
  linkType: number;
  packets: FixturePacket[];
}): Uint8Array {
  const w = new Writer(o.little);
  w.u32(o.nano ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(262144)
    .u32(o.linkType);
  for (const p of o.packets) w.u32(p.sec).u32(p.frac).u32(p.data.length).u32(p.data.length).bytes(p.data);
  return w.done();
}

/** One pcapng block: type, total length, body padded to 4, total length again. */
function block(little: boolean, type: number, body: Uint8Array): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const w = new Writer(little);
  w.u32(type)
    .u32(12 + padded)
    .bytes(body)
    .pad4()
    .u32(12 + padded);
  return w.done();
}

/** A pcapng interface. */
export interface FixtureInterface {
  linkType: number;
  snapLength?: number;
  /** if_tsresol byte; absent means the default (microseconds). */
  tsresol?: number;
}

/** A pcapng packet block: EPB (default), SPB, or the obsolete PB. */
export interface FixtureNgPacket {
  kind?: 'epb' | 'spb' | 'pb';
  iface?: number;
  /** Timestamp in the interface's units. */
  ts?: bigint;
  data: Uint8Array;
}

/** A pcapng section: SHB, IDBs, then packets (and any extra raw blocks, e.g. of unknown types, first). */
export function pcapngSection(o: {
  little: boolean;
  interfaces: FixtureInterface[];
  packets: FixtureNgPacket[];
  unknownBlocks?: number;
}): Uint8Array {
  const blocks: Uint8Array[] = [];
  const shb = new Writer(o.little).u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff).done();
  blocks.push(block(o.little, 0x0a0d0d0a, shb));
  for (let i = 0; i < (o.unknownBlocks ?? 0); i++)
    blocks.push(block(o.little, 0x00000bad, Uint8Array.of(1, 2, 3)));
  for (const i of o.interfaces) {
    const w = new Writer(o.little)
      .u16(i.linkType)
      .u16(0)
      .u32(i.snapLength ?? 0);
    if (i.tsresol !== undefined) w.u16(9).u16(1).u8(i.tsresol).pad4().u16(0).u16(0);
    blocks.push(block(o.little, 1, w.done()));
  }
  for (const p of o.packets) {
    const ts = p.ts ?? 0n;
    const hi = Number(ts >> 32n);
    const lo = Number(ts & 0xffffffffn);
    if (p.kind === 'spb') {
      blocks.push(block(o.little, 3, new Writer(o.little).u32(p.data.length).bytes(p.data).done()));
    } else if (p.kind === 'pb') {
      const w = new Writer(o.little)
        .u16(p.iface ?? 0)
        .u16(0)
        .u32(hi)
        .u32(lo);
      blocks.push(block(o.little, 2, w.u32(p.data.length).u32(p.data.length).bytes(p.data).done()));
    } else {
      const w = new Writer(o.little)
        .u32(p.iface ?? 0)
        .u32(hi)
        .u32(lo);
      blocks.push(block(o.little, 6, w.u32(p.data.length).u32(p.data.length).bytes(p.data).done()));
    }
  }
  return concat(...blocks);
}

const be = (): Writer => new Writer(false);

function ipv4Bytes(a: string): number[] {
  return a.split('.').map(Number);
}

function ipv6Bytes(a: string): number[] {
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** A UDP datagram (checksum 0: not computed). */
export function udp(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return be()
    .u16(sport)
    .u16(dport)
    .u16(8 + payload.length)
    .u16(0)
    .bytes(payload)
    .done();
}

/** TCP flag bits. */
export const FIN = 0x01;
export const SYN = 0x02;
export const ACK = 0x10;
export const PSH = 0x08;

/** A TCP segment with a 20-byte header (or 24 with a MSS option when `mss`). */
export function tcp(
  sport: number,
  dport: number,
  seq: number,
  flags: number,
  payload: Uint8Array,
  mss = false,
): Uint8Array {
  const w = be()
    .u16(sport)
    .u16(dport)
    .u32(seq >>> 0)
    .u32(0)
    .u8((mss ? 6 : 5) << 4)
    .u8(flags)
    .u16(65535)
    .u32(0);
  if (mss) w.u8(2).u8(4).u16(1460);
  return w.bytes(payload).done();
}

/** An IPv4 packet (header checksum 0); `frag` is the flags+offset field. */
export function ipv4(
  src: string,
  dst: string,
  proto: number,
  payload: Uint8Array,
  o: { id?: number; frag?: number } = {},
): Uint8Array {
  return be()
    .u8(0x45)
    .u8(0)
    .u16(20 + payload.length)
    .u16(o.id ?? 1)
    .u16(o.frag ?? 0)
    .u8(64)
    .u8(proto)
    .u16(0)
    .bytes(Uint8Array.from(ipv4Bytes(src)))
    .bytes(Uint8Array.from(ipv4Bytes(dst)))
    .bytes(payload)
    .done();
}

/** An IPv6 packet whose next header is `proto`, with the given payload (which may start with extension headers). */
export function ipv6(src: string, dst: string, proto: number, payload: Uint8Array): Uint8Array {
  return be()
    .u32(0x60000000)
    .u16(payload.length)
    .u8(proto)
    .u8(64)
    .bytes(Uint8Array.from(ipv6Bytes(src)))
    .bytes(Uint8Array.from(ipv6Bytes(dst)))
    .bytes(payload)
    .done();
}

/** An Ethernet II frame, optionally with one 802.1Q tag. */
export function ethernet(etherType: number, payload: Uint8Array, vlan = false): Uint8Array {
  const w = be().bytes(new Uint8Array(12).fill(0xaa));
  if (vlan) w.u16(0x8100).u16(7);
  return w.u16(etherType).bytes(payload).done();
}

/** A Linux cooked (SLL) header and payload. */
export function sll(etherType: number, payload: Uint8Array): Uint8Array {
  return be().u16(0).u16(772).u16(6).bytes(new Uint8Array(8)).u16(etherType).bytes(payload).done();
}

/** A Linux cooked v2 (SLL2) header and payload. */
export function sll2(etherType: number, payload: Uint8Array): Uint8Array {
  return be()
    .u16(etherType)
    .u16(0)
    .u32(1)
    .u16(772)
    .u8(0)
    .u8(6)
    .bytes(new Uint8Array(8))
    .bytes(payload)
    .done();
}

/** A BSD NULL header (family in the given byte order) and payload. */
export function nullLink(family: number, payload: Uint8Array, little: boolean): Uint8Array {
  return new Writer(little).u32(family).bytes(payload).done();
}

/** A Kerberos TCP record: 4-byte big-endian length, then the message. */
export function record(msg: Uint8Array): Uint8Array {
  return be().u32(msg.length).bytes(msg).done();
}
