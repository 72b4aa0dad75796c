/** The classic libpcap file format, either byte order, microsecond or nanosecond timestamps (draft-ietf-opsawg-pcap). */
import { FormatError } from '../errors.js';
import { type Capture, CaptureBuilder } from './capture.js';
import { LINKTYPE_MASK, Limits } from './constants.js';
import { ByteView } from './view.js';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;
const SUPPORTED_MAJOR = 2;
const MICRO = 1_000_000n;
const NANO = 1_000_000_000n;

/** Reads a libpcap file whose magic said `littleEndian` and `nanoseconds`. */
export function readPcap(bytes: Uint8Array, littleEndian: boolean, nanoseconds: boolean): Capture {
  const v = new ByteView(bytes, littleEndian);
  if (bytes.length < FILE_HEADER) throw new FormatError('pcap file header is cut short', { offset: 0 });
  const major = v.u16(4, 'pcap version');
  if (major !== SUPPORTED_MAJOR)
    throw new FormatError(`pcap version ${major}.${v.u16(6, 'pcap version')} is not 2.x`, { offset: 4 });
  const snapLength = v.u32(16, 'pcap snaplen');
  const linkType = v.u32(20, 'pcap link type') & LINKTYPE_MASK;
  const units = nanoseconds ? NANO : MICRO;
  const out = new CaptureBuilder();
  out.interfaces.push({ linkType, snapLength, unitsPerSecond: units });
  let at = FILE_HEADER;
  while (at < bytes.length) {
    if (at + RECORD_HEADER > bytes.length) {
      out.warn(`capture cut short in a packet header at byte ${at}`);
      break;
    }
    const sec = BigInt(v.u32(at, 'ts_sec'));
    const frac = v.u32(at + 4, 'ts_frac');
    const caplen = v.u32(at + 8, 'incl_len');
    const origlen = v.u32(at + 12, 'orig_len');
    if (BigInt(frac) >= units)
      throw new FormatError(`packet ${out.packets.length + 1}: sub-second timestamp ${frac} out of range`, {
        offset: at + 4,
      });
    if (caplen > Limits.MAX_PACKET)
      throw new FormatError(`packet ${out.packets.length + 1}: captured length ${caplen} is too large`, {
        offset: at + 8,
      });
    at += RECORD_HEADER;
    if (at + caplen > bytes.length) {
      out.warn(`capture cut short inside packet ${out.packets.length + 1} at byte ${at}`);
      break;
    }
    const ns = sec * NANO + BigInt(frac) * (NANO / units);
    out.packet(0, linkType, ns, v.slice(at, caplen, 'packet data'), origlen);
    at += caplen;
  }
  return out.build('pcap', littleEndian);
}
