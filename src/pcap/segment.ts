/** UDP (RFC 768) and TCP (RFC 9293) headers: from an IP payload to a segment with its ports. */
import { IpProto } from './constants.js';
import type { IpPacket } from './ip.js';

/** An address and port. */
export interface Endpoint {
  readonly addr: string;
  readonly port: number;
}

/** A UDP datagram or TCP segment. */
export interface Segment {
  readonly transport: 'udp' | 'tcp';
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly payload: Uint8Array;
  /** TCP sequence number of the first payload byte (of the SYN when `flags` has SYN). */
  readonly seq: number;
  /** TCP flags (0 for UDP). */
  readonly flags: number;
}

const UDP_HEADER = 8;
const TCP_MIN_HEADER = 20;

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

/** The UDP or TCP segment in `p`; a string saying why not otherwise; undefined for other protocols. */
export function segmentOf(p: IpPacket): Segment | string | undefined {
  const b = p.payload;
  if (p.proto === IpProto.UDP) {
    if (b.length < UDP_HEADER) return 'UDP header cut short';
    const length = u16(b, 4);
    // A zero length is legal for IPv6 jumbograms only; trust the IP length then.
    const end = length === 0 ? b.length : length;
    if (end < UDP_HEADER || end > b.length) return 'UDP length disagrees with the packet';
    return {
      transport: 'udp',
      src: { addr: p.src, port: u16(b, 0) },
      dst: { addr: p.dst, port: u16(b, 2) },
      payload: b.subarray(UDP_HEADER, end),
      seq: 0,
      flags: 0,
    };
  }
  if (p.proto === IpProto.TCP) {
    if (b.length < TCP_MIN_HEADER) return 'TCP header cut short';
    const offset = (b[12]! >> 4) * 4;
    if (offset < TCP_MIN_HEADER || offset > b.length) return 'TCP data offset is invalid';
    return {
      transport: 'tcp',
      src: { addr: p.src, port: u16(b, 0) },
      dst: { addr: p.dst, port: u16(b, 2) },
      payload: b.subarray(offset),
      seq: new DataView(b.buffer, b.byteOffset + 4, 4).getUint32(0),
      flags: b[13]!,
    };
  }
  return undefined;
}

/** `host:port`, with IPv6 hosts in brackets. */
export function endpointText(e: Endpoint): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}
