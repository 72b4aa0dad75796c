/**
 * Link layers: from a captured frame to the IP packet it carries. Ethernet (with VLAN tags), Linux cooked SLL and
 * SLL2, raw IP, BSD NULL and OpenBSD LOOP (tcpdump.org link-layer header types).
 */
import { AF_INET, AF_INET6, EtherType, Limits, LinkType } from './constants.js';

/** An IP packet found in a frame. */
export interface LinkPayload {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
}

const ETHERNET_HEADER = 14;
const VLAN_TAG = 4;
const SLL_HEADER = 16;
const SLL_PROTOCOL = 14;
const SLL2_HEADER = 20;
const NULL_HEADER = 4;
const MAX_AF = 0xffff;

function u16(b: Uint8Array, at: number): number | undefined {
  return at + 2 <= b.length ? (b[at]! << 8) | b[at + 1]! : undefined;
}

function byEtherType(type: number | undefined, bytes: Uint8Array): LinkPayload | undefined {
  if (type === EtherType.IPV4) return { version: 4, bytes };
  if (type === EtherType.IPV6) return { version: 6, bytes };
  return undefined;
}

function byVersionNibble(bytes: Uint8Array): LinkPayload | undefined {
  const v = (bytes[0] ?? 0) >> 4;
  return v === 4 || v === 6 ? { version: v, bytes } : undefined;
}

function ethernet(b: Uint8Array): LinkPayload | undefined {
  let at = ETHERNET_HEADER - 2;
  let type = u16(b, at);
  for (
    let tags = 0;
    (type === EtherType.VLAN || type === EtherType.QINQ) && tags < Limits.MAX_VLAN_TAGS;
    tags++
  ) {
    at += VLAN_TAG;
    type = u16(b, at);
  }
  return byEtherType(type, b.subarray(at + 2));
}

/** NULL: the address family in the capturing host's byte order, which the file does not record. */
function nullFamily(b: Uint8Array, bigEndianOnly: boolean): LinkPayload | undefined {
  if (b.length < NULL_HEADER) return undefined;
  const be = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const le = ((b[3]! << 24) | (b[2]! << 16) | (b[1]! << 8) | b[0]!) >>> 0;
  const family = bigEndianOnly || be <= MAX_AF ? be : le;
  const rest = b.subarray(NULL_HEADER);
  if (family === AF_INET) return { version: 4, bytes: rest };
  if (AF_INET6.has(family)) return { version: 6, bytes: rest };
  return undefined;
}

/** Decoders by LINKTYPE_. */
const LINK_DECODERS: ReadonlyMap<number, (b: Uint8Array) => LinkPayload | undefined> = new Map([
  [LinkType.ETHERNET, ethernet],
  [
    LinkType.LINUX_SLL,
    (b) => (b.length < SLL_HEADER ? undefined : byEtherType(u16(b, SLL_PROTOCOL), b.subarray(SLL_HEADER))),
  ],
  [
    LinkType.LINUX_SLL2,
    (b) => (b.length < SLL2_HEADER ? undefined : byEtherType(u16(b, 0), b.subarray(SLL2_HEADER))),
  ],
  [LinkType.RAW, byVersionNibble],
  [LinkType.IPV4, (b) => ({ version: 4, bytes: b })],
  [LinkType.IPV6, (b) => ({ version: 6, bytes: b })],
  [LinkType.NULL, (b) => nullFamily(b, false)],
  [LinkType.LOOP, (b) => nullFamily(b, true)],
]);

/** Whether the reader understands a link type. */
export function isKnownLinkType(linkType: number): boolean {
  return LINK_DECODERS.has(linkType);
}

/** The IP packet in a frame of `linkType`, or undefined when the frame carries something else. */
export function linkPayload(linkType: number, frame: Uint8Array): LinkPayload | undefined {
  return LINK_DECODERS.get(linkType)?.(frame);
}
