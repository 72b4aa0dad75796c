/**
 * The authenticator checksum of type 0x8003 (RFC 4121 4.1.1): Lgth (16), Bnd (channel-binding hash), Flags, and when
 * delegating DlgOpt (1), Dlgth and Deleg (a KRB-CRED); optional extensions after. Integers are little-endian.
 */
import { ProtocolError } from '../errors.js';
import { GssFlag } from './constants.js';

const BND_LENGTH = 16;
const FIXED_LENGTH = 24;
const DLG_OPT = 1;

/** The fields of a 0x8003 checksum. */
export interface GssChecksum {
  /** MD5 of the channel bindings, or 16 zero bytes when the initiator had none. */
  readonly bnd: Uint8Array;
  /** Context flags the initiator asks for ({@link GssFlag}). */
  readonly flags: number;
  /** KRB-CRED of the delegated credential (when `flags` has DELEG). */
  readonly deleg?: Uint8Array | undefined;
  /** Bytes after the fixed fields and Deleg (RFC 4121 extensions), kept as sent. */
  readonly exts?: Uint8Array | undefined;
}

/** The checksum bytes for the authenticator's `cksum` (type 0x8003). */
export function encodeGssChecksum(c: GssChecksum): Uint8Array {
  if (c.bnd.length !== BND_LENGTH) throw new ProtocolError('Bnd must be 16 bytes', { check: 'checksum' });
  const deleg = c.deleg;
  const exts = c.exts ?? new Uint8Array(0);
  const out = new Uint8Array(FIXED_LENGTH + (deleg ? 4 + deleg.length : 0) + exts.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, BND_LENGTH, true);
  out.set(c.bnd, 4);
  v.setUint32(20, (deleg ? c.flags | GssFlag.DELEG : c.flags & ~GssFlag.DELEG) >>> 0, true);
  let o = FIXED_LENGTH;
  if (deleg) {
    if (deleg.length > 0xffff)
      throw new ProtocolError('Deleg longer than 65535 bytes', { check: 'checksum' });
    v.setUint16(o, DLG_OPT, true);
    v.setUint16(o + 2, deleg.length, true);
    out.set(deleg, o + 4);
    o += 4 + deleg.length;
  }
  out.set(exts, o);
  return out;
}

function bad(reason: string): never {
  throw new ProtocolError(`authenticator checksum 0x8003: ${reason}`, { check: 'checksum' });
}

/** The fields of a 0x8003 checksum; ProtocolError (check `checksum`) on a wrong length, Lgth or DlgOpt. */
export function decodeGssChecksum(b: Uint8Array): GssChecksum {
  if (b.length < FIXED_LENGTH) bad(`${b.length} bytes, at least ${FIXED_LENGTH} needed`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const lgth = v.getUint32(0, true);
  if (lgth !== BND_LENGTH) bad(`Lgth is ${lgth}, not ${BND_LENGTH}`);
  const bnd = b.slice(4, 4 + BND_LENGTH);
  let flags = v.getUint32(20, true);
  let o = FIXED_LENGTH;
  let deleg: Uint8Array | undefined;
  if (flags & GssFlag.DELEG) {
    // As MIT: a DELEG flag without the delegation fields only means that nothing was delegated.
    if (b.length === FIXED_LENGTH) flags &= ~GssFlag.DELEG;
    else {
      if (b.length < FIXED_LENGTH + 4) bad('truncated DlgOpt/Dlgth');
      const opt = v.getUint16(o, true);
      if (opt !== DLG_OPT) bad(`DlgOpt is ${opt}, not ${DLG_OPT}`);
      const len = v.getUint16(o + 2, true);
      o += 4;
      if (len > b.length - o) bad(`Dlgth ${len} exceeds the ${b.length - o} bytes left`);
      deleg = b.slice(o, o + len);
      o += len;
    }
  }
  return {
    bnd,
    flags: flags >>> 0,
    ...(deleg ? { deleg } : {}),
    ...(o < b.length ? { exts: b.slice(o) } : {}),
  };
}
