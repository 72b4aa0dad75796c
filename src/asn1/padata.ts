/** PA-DATA, METHOD-DATA, TYPED-DATA, PA-ENC-TS-ENC, ETYPE-INFO, ETYPE-INFO2 (RFC 4120 5.2.7, 5.9.1). */
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readInt32,
  readKerberosString,
  readMicroseconds,
  readNonEmptySeqOf,
  readOctets,
} from './der.js';
import {
  ctx,
  type DerNode,
  encInt32,
  encKerberosString,
  encMicroseconds,
  encNonEmptySeqOf,
  encOctets,
  encSeq,
  encSeqOf,
  optCtx,
  toDer,
} from './der-write.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** PA-DATA ::= SEQUENCE { padata-type [1] Int32, padata-value [2] OCTET STRING } (tags start at 1). */
export interface PaData {
  padataType: number;
  padataValue: Uint8Array;
}

/** METHOD-DATA ::= SEQUENCE OF PA-DATA. */
export type MethodData = PaData[];

/** One TYPED-DATA element: SEQUENCE { data-type [0] Int32, data-value [1] OCTET STRING OPTIONAL }. */
export interface TypedDataEntry {
  dataType: number;
  dataValue?: Uint8Array;
}

/** TYPED-DATA ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { data-type, data-value }. */
export type TypedData = TypedDataEntry[];

/** PA-ENC-TS-ENC ::= SEQUENCE { patimestamp [0] KerberosTime, pausec [1] Microseconds OPTIONAL }. */
export interface PaEncTsEnc {
  patimestamp: Date;
  pausec?: number;
}

/** ETYPE-INFO-ENTRY ::= SEQUENCE { etype [0] Int32, salt [1] OCTET STRING OPTIONAL }. */
export interface EtypeInfoEntry {
  etype: number;
  salt?: Uint8Array;
}

/** ETYPE-INFO2-ENTRY ::= SEQUENCE { etype [0] Int32, salt [1] KerberosString OPTIONAL, s2kparams [2] OCTET STRING OPTIONAL }. */
export interface EtypeInfo2Entry {
  etype: number;
  salt?: string;
  s2kparams?: Uint8Array;
}

/** Reads a PA-DATA element. */
export const readPaData: Read<PaData> = (r) =>
  r.seq((s) => ({
    padataType: s.field(1, 'padata-type', readInt32),
    padataValue: s.field(2, 'padata-value', readOctets),
  }));

/** DER node of a PA-DATA. */
export function writePaData(v: PaData): DerNode {
  return encSeq(ctx(1, encInt32(v.padataType)), ctx(2, encOctets(v.padataValue)));
}

/** DER of a PA-DATA. */
export function encodePaData(v: PaData): Uint8Array {
  return toDer(writePaData(v));
}

/** PA-DATA from DER. */
export function decodePaData(b: Uint8Array, opts?: DecodeOptions): PaData {
  return decodeTop(b, 'PA-DATA', readPaData, opts);
}

/** Reads a METHOD-DATA (SEQUENCE OF PA-DATA) element. */
export const readMethodData: Read<MethodData> = (r) => r.seqOf(readPaData);

/** DER node of a METHOD-DATA. */
export function writeMethodData(v: readonly PaData[]): DerNode {
  return encSeqOf(v, writePaData);
}

/** DER of a METHOD-DATA. */
export function encodeMethodData(v: readonly PaData[]): Uint8Array {
  return toDer(writeMethodData(v));
}

/** METHOD-DATA from DER. */
export function decodeMethodData(b: Uint8Array, opts?: DecodeOptions): MethodData {
  return decodeTop(b, 'METHOD-DATA', readMethodData, opts);
}

const readTypedDataEntry: Read<TypedDataEntry> = (r) =>
  r.seq((s) =>
    prune<TypedDataEntry>({
      dataType: s.field(0, 'data-type', readInt32),
      dataValue: s.opt(1, 'data-value', readOctets),
    }),
  );

/** Reads a TYPED-DATA element (at least one entry). */
export const readTypedData: Read<TypedData> = (r) => readNonEmptySeqOf(r, readTypedDataEntry, 'TYPED-DATA');

/** DER node of a TYPED-DATA. */
export function writeTypedData(v: readonly TypedDataEntry[]): DerNode {
  return encNonEmptySeqOf(
    v,
    (e) => encSeq(ctx(0, encInt32(e.dataType)), optCtx(1, e.dataValue, encOctets)),
    'TYPED-DATA',
  );
}

/** DER of a TYPED-DATA. */
export function encodeTypedData(v: readonly TypedDataEntry[]): Uint8Array {
  return toDer(writeTypedData(v));
}

/** TYPED-DATA from DER. */
export function decodeTypedData(b: Uint8Array, opts?: DecodeOptions): TypedData {
  return decodeTop(b, 'TYPED-DATA', readTypedData, opts);
}

/** Reads a PA-ENC-TS-ENC element. */
export const readPaEncTsEnc: Read<PaEncTsEnc> = (r) =>
  r.seq((s) =>
    prune<PaEncTsEnc>({
      patimestamp: s.field(0, 'patimestamp', readKerberosTime),
      pausec: s.opt(1, 'pausec', readMicroseconds),
    }),
  );

/** DER node of a PA-ENC-TS-ENC. */
export function writePaEncTsEnc(v: PaEncTsEnc): DerNode {
  return encSeq(ctx(0, writeKerberosTime(v.patimestamp)), optCtx(1, v.pausec, encMicroseconds));
}

/** DER of a PA-ENC-TS-ENC. */
export function encodePaEncTsEnc(v: PaEncTsEnc): Uint8Array {
  return toDer(writePaEncTsEnc(v));
}

/** PA-ENC-TS-ENC from DER. */
export function decodePaEncTsEnc(b: Uint8Array, opts?: DecodeOptions): PaEncTsEnc {
  return decodeTop(b, 'PA-ENC-TS-ENC', readPaEncTsEnc, opts);
}

const readEtypeInfoEntry: Read<EtypeInfoEntry> = (r) =>
  r.seq((s) =>
    prune<EtypeInfoEntry>({ etype: s.field(0, 'etype', readInt32), salt: s.opt(1, 'salt', readOctets) }),
  );

/** Reads an ETYPE-INFO (SEQUENCE OF ETYPE-INFO-ENTRY) element. */
export const readEtypeInfo: Read<EtypeInfoEntry[]> = (r) => r.seqOf(readEtypeInfoEntry);

/** DER node of an ETYPE-INFO. */
export function writeEtypeInfo(v: readonly EtypeInfoEntry[]): DerNode {
  return encSeqOf(v, (e) => encSeq(ctx(0, encInt32(e.etype)), optCtx(1, e.salt, encOctets)));
}

/** DER of an ETYPE-INFO. */
export function encodeEtypeInfo(v: readonly EtypeInfoEntry[]): Uint8Array {
  return toDer(writeEtypeInfo(v));
}

/** ETYPE-INFO from DER. */
export function decodeEtypeInfo(b: Uint8Array, opts?: DecodeOptions): EtypeInfoEntry[] {
  return decodeTop(b, 'ETYPE-INFO', readEtypeInfo, opts);
}

const readEtypeInfo2Entry: Read<EtypeInfo2Entry> = (r) =>
  r.seq((s) =>
    prune<EtypeInfo2Entry>({
      etype: s.field(0, 'etype', readInt32),
      salt: s.opt(1, 'salt', readKerberosString),
      s2kparams: s.opt(2, 's2kparams', readOctets),
    }),
  );

/** Reads an ETYPE-INFO2 (SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY) element. */
export const readEtypeInfo2: Read<EtypeInfo2Entry[]> = (r) =>
  readNonEmptySeqOf(r, readEtypeInfo2Entry, 'ETYPE-INFO2');

/** DER node of an ETYPE-INFO2. */
export function writeEtypeInfo2(v: readonly EtypeInfo2Entry[]): DerNode {
  return encNonEmptySeqOf(
    v,
    (e) =>
      encSeq(
        ctx(0, encInt32(e.etype)),
        optCtx(1, e.salt, encKerberosString),
        optCtx(2, e.s2kparams, encOctets),
      ),
    'ETYPE-INFO2',
  );
}

/** DER of an ETYPE-INFO2. */
export function encodeEtypeInfo2(v: readonly EtypeInfo2Entry[]): Uint8Array {
  return toDer(writeEtypeInfo2(v));
}

/** ETYPE-INFO2 from DER. */
export function decodeEtypeInfo2(b: Uint8Array, opts?: DecodeOptions): EtypeInfo2Entry[] {
  return decodeTop(b, 'ETYPE-INFO2', readEtypeInfo2, opts);
}
