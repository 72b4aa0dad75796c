/** EncryptionKey, EncryptedData, Checksum, HostAddress(es) (RFC 4120 5.2.5, 5.2.9). */
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readAnyInt32,
  readInt32,
  readOctets,
} from './der.js';
import {
  ctx,
  type DerNode,
  encAnyInt32,
  encInt32,
  encOctets,
  encSeq,
  encSeqOf,
  optCtx,
  toDer,
} from './der-write.js';

/** EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING }. */
export interface EncryptionKey {
  keytype: number;
  keyvalue: Uint8Array;
}

/** EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING }. */
export interface EncryptedData {
  etype: number;
  /** Key version; MIT and Windows send it as a signed Int32 (so 0xffffffff arrives as -1): compare with `>>> 0`. */
  kvno?: number;
  cipher: Uint8Array;
}

/** Checksum ::= SEQUENCE { cksumtype [0] Int32, checksum [1] OCTET STRING }. */
export interface Checksum {
  cksumtype: number;
  checksum: Uint8Array;
}

/** HostAddress ::= SEQUENCE { addr-type [0] Int32, address [1] OCTET STRING }. */
export interface HostAddress {
  addrType: number;
  address: Uint8Array;
}

/** Reads an EncryptionKey element. */
export const readEncryptionKey: Read<EncryptionKey> = (r) =>
  r.seq((s) => ({ keytype: s.field(0, 'keytype', readInt32), keyvalue: s.field(1, 'keyvalue', readOctets) }));

/** DER node of an EncryptionKey. */
export function writeEncryptionKey(v: EncryptionKey): DerNode {
  return encSeq(ctx(0, encInt32(v.keytype)), ctx(1, encOctets(v.keyvalue)));
}

/** DER of an EncryptionKey. */
export function encodeEncryptionKey(v: EncryptionKey): Uint8Array {
  return toDer(writeEncryptionKey(v));
}

/** EncryptionKey from DER. */
export function decodeEncryptionKey(b: Uint8Array, opts?: DecodeOptions): EncryptionKey {
  return decodeTop(b, 'EncryptionKey', readEncryptionKey, opts);
}

/** Reads an EncryptedData element (kvno accepted as signed or unsigned 32-bit). */
export const readEncryptedData: Read<EncryptedData> = (r) =>
  r.seq((s) =>
    prune<EncryptedData>({
      etype: s.field(0, 'etype', readInt32),
      kvno: s.opt(1, 'kvno', readAnyInt32),
      cipher: s.field(2, 'cipher', readOctets),
    }),
  );

/** DER node of an EncryptedData. */
export function writeEncryptedData(v: EncryptedData): DerNode {
  return encSeq(ctx(0, encInt32(v.etype)), optCtx(1, v.kvno, encAnyInt32), ctx(2, encOctets(v.cipher)));
}

/** DER of an EncryptedData. */
export function encodeEncryptedData(v: EncryptedData): Uint8Array {
  return toDer(writeEncryptedData(v));
}

/** EncryptedData from DER. */
export function decodeEncryptedData(b: Uint8Array, opts?: DecodeOptions): EncryptedData {
  return decodeTop(b, 'EncryptedData', readEncryptedData, opts);
}

/** Reads a Checksum element. */
export const readChecksum: Read<Checksum> = (r) =>
  r.seq((s) => ({
    cksumtype: s.field(0, 'cksumtype', readInt32),
    checksum: s.field(1, 'checksum', readOctets),
  }));

/** DER node of a Checksum. */
export function writeChecksum(v: Checksum): DerNode {
  return encSeq(ctx(0, encInt32(v.cksumtype)), ctx(1, encOctets(v.checksum)));
}

/** DER of a Checksum. */
export function encodeChecksum(v: Checksum): Uint8Array {
  return toDer(writeChecksum(v));
}

/** Checksum from DER. */
export function decodeChecksum(b: Uint8Array, opts?: DecodeOptions): Checksum {
  return decodeTop(b, 'Checksum', readChecksum, opts);
}

/** Reads a HostAddress element. */
export const readHostAddress: Read<HostAddress> = (r) =>
  r.seq((s) => ({
    addrType: s.field(0, 'addr-type', readInt32),
    address: s.field(1, 'address', readOctets),
  }));

/** DER node of a HostAddress. */
export function writeHostAddress(v: HostAddress): DerNode {
  return encSeq(ctx(0, encInt32(v.addrType)), ctx(1, encOctets(v.address)));
}

/** DER of a HostAddress. */
export function encodeHostAddress(v: HostAddress): Uint8Array {
  return toDer(writeHostAddress(v));
}

/** HostAddress from DER. */
export function decodeHostAddress(b: Uint8Array, opts?: DecodeOptions): HostAddress {
  return decodeTop(b, 'HostAddress', readHostAddress, opts);
}

/** Reads HostAddresses ::= SEQUENCE OF HostAddress. */
export const readHostAddresses: Read<HostAddress[]> = (r) => r.seqOf(readHostAddress);

/** DER node of HostAddresses. */
export function writeHostAddresses(v: readonly HostAddress[]): DerNode {
  return encSeqOf(v, writeHostAddress);
}

/** DER of HostAddresses. */
export function encodeHostAddresses(v: readonly HostAddress[]): Uint8Array {
  return toDer(writeHostAddresses(v));
}

/** HostAddresses from DER. */
export function decodeHostAddresses(b: Uint8Array, opts?: DecodeOptions): HostAddress[] {
  return decodeTop(b, 'HostAddresses', readHostAddresses, opts);
}
