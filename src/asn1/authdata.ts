/** AuthorizationData and the RFC 4120 5.2.6 container ad-types. */
import {
  ctx,
  type DecodeOptions,
  decodeTop,
  encInt32,
  encOctets,
  encSeq,
  encSeqOf,
  type Read,
  readInt32,
  readOctets,
} from './der.js';

/** One AuthorizationData element: SEQUENCE { ad-type [0] Int32, ad-data [1] OCTET STRING }. */
export interface AuthorizationDataEntry {
  adType: number;
  adData: Uint8Array;
}

/** AuthorizationData ::= SEQUENCE OF SEQUENCE { ad-type, ad-data } (RFC 4120 5.2.6). */
export type AuthorizationData = AuthorizationDataEntry[];

const readEntry: Read<AuthorizationDataEntry> = (r) =>
  r.seq((s) => ({ adType: s.field(0, 'ad-type', readInt32), adData: s.field(1, 'ad-data', readOctets) }));

const encEntry = (v: AuthorizationDataEntry): Uint8Array =>
  encSeq(ctx(0, encInt32(v.adType)), ctx(1, encOctets(v.adData)));

/** Reads an AuthorizationData element. */
export const readAuthorizationData: Read<AuthorizationData> = (r) => r.seqOf(readEntry);

/** DER of AuthorizationData. */
export function encodeAuthorizationData(v: readonly AuthorizationDataEntry[]): Uint8Array {
  return encSeqOf(v, encEntry);
}

/** AuthorizationData from DER. */
export function decodeAuthorizationData(b: Uint8Array, opts?: DecodeOptions): AuthorizationData {
  return decodeTop(b, 'AuthorizationData', readAuthorizationData, opts);
}
