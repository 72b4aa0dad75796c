/** MS-KILE 2.2: PA-PAC-REQUEST, PA-PAC-OPTIONS, KERB-AD-RESTRICTION-ENTRY, PA-SUPPORTED-ENCTYPES, KERB-KEY-LIST-REQ/REP. */
import { Asn1DecodeError, KerberosError } from '../errors.js';
import { type EncryptionKey, readEncryptionKey, writeEncryptionKey } from './basic.js';
import {
  DEFAULT_MAX_SIZE,
  type DecodeOptions,
  decodeTop,
  type Read,
  readBoolean,
  readInt32,
  readOctets,
  UINT32_MAX,
} from './der.js';
import { ctx, type DerNode, encBoolean, encInt32, encOctets, encSeq, encSeqOf, toDer } from './der-write.js';
import { flagsReader, PacOptionBit, type PacOptionsFlags, writeFlags } from './flags.js';

/** KERB-PA-PAC-REQUEST ::= SEQUENCE { include-pac [0] BOOLEAN } (MS-KILE 2.2.3). */
export interface PaPacRequest {
  includePac: boolean;
}

/** PA-PAC-OPTIONS ::= SEQUENCE { flags [0] PAC-OPTIONS-FLAGS } (MS-KILE 2.2.10). */
export interface PaPacOptions {
  flags: PacOptionsFlags;
}

/** KERB-AD-RESTRICTION-ENTRY ::= SEQUENCE { restriction-type [0] Int32, restriction [1] OCTET STRING } (MS-KILE 2.2.6). */
export interface KerbAdRestrictionEntry {
  restrictionType: number;
  /** LSAP_TOKEN_INFO_INTEGRITY (MS-KILE 2.2.5) when restriction-type is 0. */
  restriction: Uint8Array;
}

/** Reads a KERB-PA-PAC-REQUEST element. */
export const readPaPacRequest: Read<PaPacRequest> = (r) =>
  r.seq((s) => ({ includePac: s.field(0, 'include-pac', readBoolean) }));

/** DER node of a KERB-PA-PAC-REQUEST. */
export function writePaPacRequest(v: PaPacRequest): DerNode {
  return encSeq(ctx(0, encBoolean(v.includePac)));
}

/** DER of a KERB-PA-PAC-REQUEST. */
export function encodePaPacRequest(v: PaPacRequest): Uint8Array {
  return toDer(writePaPacRequest(v));
}

/** KERB-PA-PAC-REQUEST from DER. */
export function decodePaPacRequest(b: Uint8Array, opts?: DecodeOptions): PaPacRequest {
  return decodeTop(b, 'PA-PAC-REQUEST', readPaPacRequest, opts);
}

/** Reads a PA-PAC-OPTIONS element. */
export const readPaPacOptions: Read<PaPacOptions> = (r) =>
  r.seq((s) => ({ flags: s.field(0, 'flags', flagsReader(PacOptionBit)) }));

/** DER node of a PA-PAC-OPTIONS. */
export function writePaPacOptions(v: PaPacOptions): DerNode {
  return encSeq(ctx(0, writeFlags(PacOptionBit, v.flags)));
}

/** DER of a PA-PAC-OPTIONS. */
export function encodePaPacOptions(v: PaPacOptions): Uint8Array {
  return toDer(writePaPacOptions(v));
}

/** PA-PAC-OPTIONS from DER. */
export function decodePaPacOptions(b: Uint8Array, opts?: DecodeOptions): PaPacOptions {
  return decodeTop(b, 'PA-PAC-OPTIONS', readPaPacOptions, opts);
}

const readRestrictionEntry: Read<KerbAdRestrictionEntry> = (r) =>
  r.seq((s) => ({
    restrictionType: s.field(0, 'restriction-type', readInt32),
    restriction: s.field(1, 'restriction', readOctets),
  }));

/** DER node of a KERB-AD-RESTRICTION-ENTRY. */
export function writeKerbAdRestrictionEntry(v: KerbAdRestrictionEntry): DerNode {
  return encSeq(ctx(0, encInt32(v.restrictionType)), ctx(1, encOctets(v.restriction)));
}

/** DER of a KERB-AD-RESTRICTION-ENTRY. */
export function encodeKerbAdRestrictionEntry(v: KerbAdRestrictionEntry): Uint8Array {
  return toDer(writeKerbAdRestrictionEntry(v));
}

/** KERB-AD-RESTRICTION-ENTRY from DER. */
export function decodeKerbAdRestrictionEntry(b: Uint8Array, opts?: DecodeOptions): KerbAdRestrictionEntry {
  return decodeTop(b, 'KERB-AD-RESTRICTION-ENTRY', readRestrictionEntry, opts);
}

/** Reads the ad-data of ad-type 141: Windows sends a SEQUENCE OF KERB-AD-RESTRICTION-ENTRY. */
export const readKerbAdRestrictions: Read<KerbAdRestrictionEntry[]> = (r) => r.seqOf(readRestrictionEntry);

/** DER node of the ad-type 141 ad-data (SEQUENCE OF KERB-AD-RESTRICTION-ENTRY). */
export function writeKerbAdRestrictions(v: readonly KerbAdRestrictionEntry[]): DerNode {
  return encSeqOf(v, writeKerbAdRestrictionEntry);
}

/** DER of the ad-type 141 ad-data (SEQUENCE OF KERB-AD-RESTRICTION-ENTRY). */
export function encodeKerbAdRestrictions(v: readonly KerbAdRestrictionEntry[]): Uint8Array {
  return toDer(writeKerbAdRestrictions(v));
}

/** The ad-type 141 ad-data from DER. */
export function decodeKerbAdRestrictions(b: Uint8Array, opts?: DecodeOptions): KerbAdRestrictionEntry[] {
  return decodeTop(b, 'KERB-AD-RESTRICTIONS', readKerbAdRestrictions, opts);
}

/**
 * PA-SUPPORTED-ENCTYPES value (MS-KILE 2.2.8): a uint32 bit field of MS-KILE 2.2.7 flags.
 * MS-KILE writes it as ASN.1 Int32, but Windows and Samba send 4 raw little-endian octets; so does this.
 */
export function encodePaSupportedEnctypes(v: number): Uint8Array {
  if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX)
    throw new KerberosError(`cannot encode PA-SUPPORTED-ENCTYPES: ${v} is not a uint32`);
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
}

/** PA-SUPPORTED-ENCTYPES from its 4 little-endian octets. */
export function decodePaSupportedEnctypes(b: Uint8Array, opts?: DecodeOptions): number {
  const max = opts?.maxSize ?? DEFAULT_MAX_SIZE;
  if (b.length !== 4 || b.length > max)
    throw new Asn1DecodeError('PA-SUPPORTED-ENCTYPES', 0, `expected 4 octets, got ${b.length}`);
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}

/** Reads a KERB-KEY-LIST-REQ (SEQUENCE OF Int32 enctypes, MS-KILE 2.2.11). */
export const readKerbKeyListReq: Read<number[]> = (r) => r.seqOf(readInt32);

/** DER node of a KERB-KEY-LIST-REQ. */
export function writeKerbKeyListReq(v: readonly number[]): DerNode {
  return encSeqOf(v, encInt32);
}

/** DER of a KERB-KEY-LIST-REQ. */
export function encodeKerbKeyListReq(v: readonly number[]): Uint8Array {
  return toDer(writeKerbKeyListReq(v));
}

/** KERB-KEY-LIST-REQ from DER. */
export function decodeKerbKeyListReq(b: Uint8Array, opts?: DecodeOptions): number[] {
  return decodeTop(b, 'KERB-KEY-LIST-REQ', readKerbKeyListReq, opts);
}

/** Reads a KERB-KEY-LIST-REP (SEQUENCE OF EncryptionKey, MS-KILE 2.2.12). */
export const readKerbKeyListRep: Read<EncryptionKey[]> = (r) => r.seqOf(readEncryptionKey);

/** DER node of a KERB-KEY-LIST-REP. */
export function writeKerbKeyListRep(v: readonly EncryptionKey[]): DerNode {
  return encSeqOf(v, writeEncryptionKey);
}

/** DER of a KERB-KEY-LIST-REP. */
export function encodeKerbKeyListRep(v: readonly EncryptionKey[]): Uint8Array {
  return toDer(writeKerbKeyListRep(v));
}

/** KERB-KEY-LIST-REP from DER. */
export function decodeKerbKeyListRep(b: Uint8Array, opts?: DecodeOptions): EncryptionKey[] {
  return decodeTop(b, 'KERB-KEY-LIST-REP', readKerbKeyListRep, opts);
}
