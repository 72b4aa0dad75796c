/** AuthorizationData and the RFC 4120 5.2.6 container ad-types (AD-IF-RELEVANT, AD-KDCIssued, AD-AND-OR, AD-MANDATORY-FOR-KDC). */
import { type Checksum, readChecksum, writeChecksum } from './basic.js';
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readInt32,
  readKerberosString,
  readOctets,
} from './der.js';
import {
  ctx,
  type DerNode,
  encInt32,
  encKerberosString,
  encOctets,
  encSeq,
  encSeqOf,
  optCtx,
  toDer,
} from './der-write.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';

/** One AuthorizationData element: SEQUENCE { ad-type [0] Int32, ad-data [1] OCTET STRING }. */
export interface AuthorizationDataEntry {
  adType: number;
  adData: Uint8Array;
}

/** AuthorizationData ::= SEQUENCE OF SEQUENCE { ad-type, ad-data } (RFC 4120 5.2.6). */
export type AuthorizationData = AuthorizationDataEntry[];

const readEntry: Read<AuthorizationDataEntry> = (r) =>
  r.seq((s) => ({ adType: s.field(0, 'ad-type', readInt32), adData: s.field(1, 'ad-data', readOctets) }));

const encEntry = (v: AuthorizationDataEntry): DerNode =>
  encSeq(ctx(0, encInt32(v.adType)), ctx(1, encOctets(v.adData)));

/** Reads an AuthorizationData element. */
export const readAuthorizationData: Read<AuthorizationData> = (r) => r.seqOf(readEntry);

/** DER node of AuthorizationData. */
export function writeAuthorizationData(v: readonly AuthorizationDataEntry[]): DerNode {
  return encSeqOf(v, encEntry);
}

/** DER of AuthorizationData. */
export function encodeAuthorizationData(v: readonly AuthorizationDataEntry[]): Uint8Array {
  return toDer(writeAuthorizationData(v));
}

/** AuthorizationData from DER. */
export function decodeAuthorizationData(b: Uint8Array, opts?: DecodeOptions): AuthorizationData {
  return decodeTop(b, 'AuthorizationData', readAuthorizationData, opts);
}

/** AD-IF-RELEVANT ::= AuthorizationData (RFC 4120 5.2.6.1). */
export type AdIfRelevant = AuthorizationData;
/** AD-MANDATORY-FOR-KDC ::= AuthorizationData (RFC 4120 5.2.6.4). */
export type AdMandatoryForKdc = AuthorizationData;

/** AD-KDCIssued ::= SEQUENCE { ad-checksum [0] Checksum, i-realm [1] OPTIONAL, i-sname [2] OPTIONAL, elements [3] } (RFC 4120 5.2.6.2). */
export interface AdKdcIssued {
  adChecksum: Checksum;
  iRealm?: string;
  iSname?: PrincipalName;
  elements: AuthorizationData;
}

/** AD-AND-OR ::= SEQUENCE { condition-count [0] Int32, elements [1] AuthorizationData } (RFC 4120 5.2.6.3). */
export interface AdAndOr {
  conditionCount: number;
  elements: AuthorizationData;
}

/** AD-IF-RELEVANT from DER. */
export function decodeAdIfRelevant(b: Uint8Array, opts?: DecodeOptions): AdIfRelevant {
  return decodeTop(b, 'AD-IF-RELEVANT', readAuthorizationData, opts);
}

/** DER node of an AD-IF-RELEVANT. */
export const writeAdIfRelevant: (v: readonly AuthorizationDataEntry[]) => DerNode = writeAuthorizationData;

/** DER of an AD-IF-RELEVANT. */
export function encodeAdIfRelevant(v: readonly AuthorizationDataEntry[]): Uint8Array {
  return toDer(writeAdIfRelevant(v));
}

/** AD-MANDATORY-FOR-KDC from DER. */
export function decodeAdMandatoryForKdc(b: Uint8Array, opts?: DecodeOptions): AdMandatoryForKdc {
  return decodeTop(b, 'AD-MANDATORY-FOR-KDC', readAuthorizationData, opts);
}

/** DER node of an AD-MANDATORY-FOR-KDC. */
export const writeAdMandatoryForKdc: (v: readonly AuthorizationDataEntry[]) => DerNode =
  writeAuthorizationData;

/** DER of an AD-MANDATORY-FOR-KDC. */
export function encodeAdMandatoryForKdc(v: readonly AuthorizationDataEntry[]): Uint8Array {
  return toDer(writeAdMandatoryForKdc(v));
}

/** Reads an AD-KDCIssued element. */
export const readAdKdcIssued: Read<AdKdcIssued> = (r) =>
  r.seq((s) =>
    prune<AdKdcIssued>({
      adChecksum: s.field(0, 'ad-checksum', readChecksum),
      iRealm: s.opt(1, 'i-realm', readKerberosString),
      iSname: s.opt(2, 'i-sname', readPrincipalName),
      elements: s.field(3, 'elements', readAuthorizationData),
    }),
  );

/** DER node of an AD-KDCIssued. */
export function writeAdKdcIssued(v: AdKdcIssued): DerNode {
  return encSeq(
    ctx(0, writeChecksum(v.adChecksum)),
    optCtx(1, v.iRealm, encKerberosString),
    optCtx(2, v.iSname, writePrincipalName),
    ctx(3, writeAuthorizationData(v.elements)),
  );
}

/** DER of an AD-KDCIssued. */
export function encodeAdKdcIssued(v: AdKdcIssued): Uint8Array {
  return toDer(writeAdKdcIssued(v));
}

/** AD-KDCIssued from DER. */
export function decodeAdKdcIssued(b: Uint8Array, opts?: DecodeOptions): AdKdcIssued {
  return decodeTop(b, 'AD-KDCIssued', readAdKdcIssued, opts);
}

/** Reads an AD-AND-OR element. */
export const readAdAndOr: Read<AdAndOr> = (r) =>
  r.seq((s) => ({
    conditionCount: s.field(0, 'condition-count', readInt32),
    elements: s.field(1, 'elements', readAuthorizationData),
  }));

/** DER node of an AD-AND-OR. */
export function writeAdAndOr(v: AdAndOr): DerNode {
  return encSeq(ctx(0, encInt32(v.conditionCount)), ctx(1, writeAuthorizationData(v.elements)));
}

/** DER of an AD-AND-OR. */
export function encodeAdAndOr(v: AdAndOr): Uint8Array {
  return toDer(writeAdAndOr(v));
}

/** AD-AND-OR from DER. */
export function decodeAdAndOr(b: Uint8Array, opts?: DecodeOptions): AdAndOr {
  return decodeTop(b, 'AD-AND-OR', readAdAndOr, opts);
}

/** AD-ETYPE-NEGOTIATION (RFC 4537 2): EtypeList ::= SEQUENCE OF Int32, the client's enctypes by preference. */
export function encodeEtypeList(v: readonly number[]): Uint8Array {
  return toDer(encSeqOf(v, encInt32));
}

/** EtypeList (AD-ETYPE-NEGOTIATION) from DER. */
export function decodeEtypeList(b: Uint8Array, opts?: DecodeOptions): number[] {
  return decodeTop(b, 'AD-ETYPE-NEGOTIATION', (r) => r.seqOf(readInt32), opts);
}
