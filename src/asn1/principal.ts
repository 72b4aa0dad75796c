/** PrincipalName and Realm (RFC 4120 5.2.1, 5.2.2). */
import { type DecodeOptions, decodeTop, type Read, readInt32, readKerberosString } from './der.js';
import { ctx, encInt32, encKerberosString, encSeq, encSeqOf } from './der-write.js';

/** PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString }. */
export interface PrincipalName {
  nameType: number;
  nameString: string[];
}

/** Reads a PrincipalName element. */
export const readPrincipalName: Read<PrincipalName> = (r) =>
  r.seq((s) => ({
    nameType: s.field(0, 'name-type', readInt32),
    nameString: s.field(1, 'name-string', (f) => f.seqOf(readKerberosString)),
  }));

/** DER of a PrincipalName. */
export function encodePrincipalName(v: PrincipalName): Uint8Array {
  return encSeq(ctx(0, encInt32(v.nameType)), ctx(1, encSeqOf(v.nameString, encKerberosString)));
}

/** PrincipalName from DER. */
export function decodePrincipalName(b: Uint8Array, opts?: DecodeOptions): PrincipalName {
  return decodeTop(b, 'PrincipalName', readPrincipalName, opts);
}

/** Realm ::= KerberosString (a GeneralString holding UTF-8). */
export const readRealm: Read<string> = readKerberosString;

/** DER of a Realm. */
export const encodeRealm: (v: string) => Uint8Array = encKerberosString;
