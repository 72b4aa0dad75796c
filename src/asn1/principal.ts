/** PrincipalName and Realm (RFC 4120 5.2.1, 5.2.2). */
import { type DecodeOptions, decodeTop, type Read, readInt32, readKerberosString } from './der.js';
import { ctx, type DerNode, encInt32, encKerberosString, encSeq, encSeqOf, toDer } from './der-write.js';

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

/** DER node of a PrincipalName. */
export function writePrincipalName(v: PrincipalName): DerNode {
  return encSeq(ctx(0, encInt32(v.nameType)), ctx(1, encSeqOf(v.nameString, encKerberosString)));
}

/** DER of a PrincipalName. */
export function encodePrincipalName(v: PrincipalName): Uint8Array {
  return toDer(writePrincipalName(v));
}

/** PrincipalName from DER. */
export function decodePrincipalName(b: Uint8Array, opts?: DecodeOptions): PrincipalName {
  return decodeTop(b, 'PrincipalName', readPrincipalName, opts);
}

/** Realm ::= KerberosString (a GeneralString holding UTF-8). */
export const readRealm: Read<string> = readKerberosString;

/** DER node of a Realm. */
export const writeRealm: (v: string) => DerNode = encKerberosString;

/** DER of a Realm. */
export function encodeRealm(v: string): Uint8Array {
  return toDer(writeRealm(v));
}
