/**
 * Reads a capture file, libpcap or pcapng, into its packets. The file's first four bytes choose the format;
 * anything else is a FormatError. A capture cut short keeps the packets before the cut and says so.
 */
import { FormatError } from '../errors.js';
import { toHex } from '../util/bytes.js';
import { BlockType, Limits, PcapMagic } from './constants.js';
import { readPcap } from './libpcap.js';
import { readPcapng } from './pcapng.js';

/** One packet as captured. */
export interface CapturedPacket {
  /** 1-based frame number, as Wireshark counts. */
  readonly frame: number;
  readonly interfaceId: number;
  /** LINKTYPE_ of the packet's interface. */
  readonly linkType: number;
  /** Nanoseconds since the Unix epoch. */
  readonly timestampNs: bigint;
  /** The captured bytes (possibly fewer than were on the wire). */
  readonly data: Uint8Array;
  readonly originalLength: number;
}

/** One capture interface (libpcap files have one). */
export interface CaptureInterface {
  readonly linkType: number;
  readonly snapLength: number;
  /** Timestamp units per second, e.g. 1e6 or 1e9. */
  readonly unitsPerSecond: bigint;
}

/** A whole capture file. */
export interface Capture {
  readonly format: 'pcap' | 'pcapng';
  /** Byte order the file was written in. */
  readonly littleEndian: boolean;
  readonly interfaces: readonly CaptureInterface[];
  readonly packets: readonly CapturedPacket[];
  /** What was skipped or cut short, one line each. */
  readonly warnings: readonly string[];
}

/** A capture under construction, shared by both readers. */
export class CaptureBuilder {
  readonly interfaces: CaptureInterface[] = [];
  readonly packets: CapturedPacket[] = [];
  readonly warnings: string[] = [];
  #dropped = 0;

  /** Records a warning (bounded; the excess is counted). */
  warn(text: string): void {
    if (this.warnings.length < Limits.MAX_WARNINGS) this.warnings.push(text);
    else this.#dropped++;
  }

  /** Adds a packet of interface `interfaceId`. */
  packet(
    interfaceId: number,
    linkType: number,
    timestampNs: bigint,
    data: Uint8Array,
    originalLength: number,
  ): void {
    this.packets.push({
      frame: this.packets.length + 1,
      interfaceId,
      linkType,
      timestampNs,
      data,
      originalLength,
    });
  }

  /** The finished capture. */
  build(format: Capture['format'], littleEndian: boolean): Capture {
    const warnings = [...this.warnings];
    if (this.#dropped > 0) warnings.push(`${this.#dropped} more warnings not shown`);
    return { format, littleEndian, interfaces: this.interfaces, packets: this.packets, warnings };
  }
}

/** Parses a libpcap or pcapng file; FormatError when it is neither or its headers are malformed. */
export function readCapture(bytes: Uint8Array): Capture {
  if (bytes.length < 4) throw new FormatError('not a capture file: shorter than its magic number');
  const be = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const le = ((bytes[3]! << 24) | (bytes[2]! << 16) | (bytes[1]! << 8) | bytes[0]!) >>> 0;
  if (be === BlockType.SECTION_HEADER) return readPcapng(bytes);
  for (const [magic, little] of [
    [be, false],
    [le, true],
  ] as const) {
    if (magic === PcapMagic.MICROSECONDS) return readPcap(bytes, little, false);
    if (magic === PcapMagic.NANOSECONDS) return readPcap(bytes, little, true);
  }
  throw new FormatError(`not a pcap or pcapng capture (starts ${toHex(bytes.subarray(0, 4))})`, {
    hint: 'save the capture as pcap or pcapng (tshark -F pcapng -w file)',
  });
}
