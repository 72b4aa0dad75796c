/**
 * pcapng (draft-ietf-opsawg-pcapng): Section Header, Interface Description, Enhanced, Simple and obsolete Packet
 * blocks, either byte order (each section says its own), several interfaces with their own timestamp resolution.
 * Other blocks are skipped by their length.
 */
import { FormatError } from '../errors.js';
import { type Capture, CaptureBuilder, type CaptureInterface } from './capture.js';
import {
  BlockType,
  DEFAULT_TSRESOL_EXPONENT,
  Limits,
  OptionCode,
  PCAPNG_BYTE_ORDER_MAGIC,
} from './constants.js';
import { ByteView } from './view.js';

const BLOCK_OVERHEAD = 12;
const SHB_MIN = 28;
const SUPPORTED_MAJOR = 1;
const NANO = 1_000_000_000n;
const TSRESOL_BASE2 = 0x80;
const MAX_TSRESOL_BASE10 = 18;
const MAX_TSRESOL_BASE2 = 63;

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Units per second an if_tsresol byte means. */
function unitsOf(resol: number, at: number): bigint {
  const exp = resol & ~TSRESOL_BASE2;
  const base2 = (resol & TSRESOL_BASE2) !== 0;
  if (exp > (base2 ? MAX_TSRESOL_BASE2 : MAX_TSRESOL_BASE10))
    throw new FormatError(`if_tsresol ${resol} is out of range`, { offset: at });
  return base2 ? 2n ** BigInt(exp) : 10n ** BigInt(exp);
}

/** The if_tsresol of an IDB's options (start..end), or the default microseconds. */
function tsUnits(v: ByteView, start: number, end: number): bigint {
  let at = start;
  while (at + 4 <= end) {
    const code = v.u16(at, 'option code');
    const len = v.u16(at + 2, 'option length');
    if (code === OptionCode.END_OF_OPT) break;
    if (at + 4 + len > end) throw new FormatError('an interface option runs past its block', { offset: at });
    if (code === OptionCode.IF_TSRESOL && len >= 1) return unitsOf(v.u8(at + 4, 'if_tsresol'), at + 4);
    at += 4 + pad4(len);
  }
  return 10n ** BigInt(DEFAULT_TSRESOL_EXPONENT);
}

/** Reads one section's byte order from its SHB at `at`. */
function sectionOrder(v: ByteView, at: number): boolean {
  const bom = v.slice(at + 8, 4, 'byte-order magic');
  const asBe = ((bom[0]! << 24) | (bom[1]! << 16) | (bom[2]! << 8) | bom[3]!) >>> 0;
  const asLe = ((bom[3]! << 24) | (bom[2]! << 16) | (bom[1]! << 8) | bom[0]!) >>> 0;
  if (asBe === PCAPNG_BYTE_ORDER_MAGIC) return false;
  if (asLe === PCAPNG_BYTE_ORDER_MAGIC) return true;
  throw new FormatError('pcapng section header has no valid byte-order magic', { offset: at + 8 });
}

/** State of the section being read. */
interface Section {
  interfaces: CaptureInterface[];
}

function packetTime(iface: CaptureInterface, high: number, low: number): bigint {
  const t = (BigInt(high) << 32n) | BigInt(low);
  return (t * NANO) / iface.unitsPerSecond;
}

function interfaceOf(s: Section, id: number, at: number): CaptureInterface {
  const iface = s.interfaces[id];
  if (iface === undefined)
    throw new FormatError(`packet block names interface ${id}, which no IDB described`, { offset: at });
  return iface;
}

/** The smallest valid length of each block type read here: header, fixed fields, trailer. */
const MIN_LENGTH: ReadonlyMap<number, number> = new Map([
  [BlockType.INTERFACE_DESCRIPTION, 20],
  [BlockType.ENHANCED_PACKET, 32],
  [BlockType.PACKET_OBSOLETE, 32],
  [BlockType.SIMPLE_PACKET, 16],
]);

/** Handles one non-SHB block of type `type` spanning at..at+len. */
function block(v: ByteView, type: number, at: number, len: number, s: Section, out: CaptureBuilder): void {
  if (len < (MIN_LENGTH.get(type) ?? BLOCK_OVERHEAD))
    throw new FormatError(`block of type ${type} is too short (${len} bytes)`, { offset: at + 4 });
  const bodyEnd = at + len - 4;
  if (type === BlockType.INTERFACE_DESCRIPTION) {
    if (s.interfaces.length >= Limits.MAX_INTERFACES)
      throw new FormatError('too many interfaces in one section', { offset: at });
    const iface = {
      linkType: v.u16(at + 8, 'IDB link type'),
      snapLength: v.u32(at + 12, 'IDB snaplen'),
      unitsPerSecond: tsUnits(v, at + 16, bodyEnd),
    };
    s.interfaces.push(iface);
    out.interfaces.push(iface);
  } else if (type === BlockType.ENHANCED_PACKET || type === BlockType.PACKET_OBSOLETE) {
    const obsolete = type === BlockType.PACKET_OBSOLETE;
    const id = obsolete ? v.u16(at + 8, 'interface id') : v.u32(at + 8, 'interface id');
    const iface = interfaceOf(s, id, at + 8);
    const caplen = v.u32(at + 20, 'captured length');
    if (caplen > Limits.MAX_PACKET || at + 28 + caplen > bodyEnd)
      throw new FormatError(`packet block's captured length ${caplen} exceeds its block`, {
        offset: at + 20,
      });
    const ts = packetTime(iface, v.u32(at + 12, 'timestamp'), v.u32(at + 16, 'timestamp'));
    out.packet(id, iface.linkType, ts, v.slice(at + 28, caplen, 'packet data'), v.u32(at + 24, 'length'));
  } else if (type === BlockType.SIMPLE_PACKET) {
    const iface = interfaceOf(s, 0, at);
    const origlen = v.u32(at + 8, 'SPB original length');
    const room = bodyEnd - (at + 12);
    const caplen = Math.min(origlen, room, iface.snapLength === 0 ? room : iface.snapLength);
    if (caplen > Limits.MAX_PACKET)
      throw new FormatError(`simple packet of ${caplen} bytes is too large`, { offset: at + 8 });
    // SPBs carry no timestamp.
    out.packet(0, iface.linkType, 0n, v.slice(at + 12, caplen, 'packet data'), origlen);
  }
}

/** Reads a pcapng file (its first block is an SHB). */
export function readPcapng(bytes: Uint8Array): Capture {
  const v = new ByteView(bytes);
  const out = new CaptureBuilder();
  const section: Section = { interfaces: [] };
  let firstOrder: boolean | undefined;
  let at = 0;
  while (at < bytes.length) {
    if (at + BLOCK_OVERHEAD > bytes.length) {
      out.warn(`capture cut short in a block header at byte ${at}`);
      break;
    }
    let type = v.u32(at, 'block type');
    if (type === BlockType.SECTION_HEADER) {
      v.littleEndian = sectionOrder(v, at);
      firstOrder ??= v.littleEndian;
      section.interfaces = [];
      type = BlockType.SECTION_HEADER;
    } else if (firstOrder === undefined) {
      throw new FormatError('pcapng must start with a section header block', { offset: 0 });
    }
    const len = v.u32(at + 4, 'block length');
    if (len < BLOCK_OVERHEAD || len % 4 !== 0 || len > Limits.MAX_BLOCK)
      throw new FormatError(`block length ${len} is invalid`, { offset: at + 4 });
    if (type === BlockType.SECTION_HEADER) {
      if (len < SHB_MIN) throw new FormatError('section header block is too short', { offset: at + 4 });
      const major = v.u16(at + 12, 'pcapng version');
      if (major !== SUPPORTED_MAJOR)
        throw new FormatError(`pcapng version ${major} is not 1.x`, { offset: at + 12 });
    }
    if (at + len > bytes.length) {
      out.warn(`capture cut short inside a block at byte ${at}`);
      break;
    }
    if (v.u32(at + len - 4, 'trailing block length') !== len)
      throw new FormatError('block lengths before and after the block differ', { offset: at + len - 4 });
    if (type !== BlockType.SECTION_HEADER) block(v, type, at, len, section, out);
    at += len;
  }
  return out.build('pcapng', firstOrder ?? false);
}
