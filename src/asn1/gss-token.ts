/**
 * RFC 2743 3.1 InitialContextToken ::= [APPLICATION 0] IMPLICIT SEQUENCE { thisMech MechType, innerContextToken ANY }.
 * The inner token is mechanism-defined bytes (for Kerberos a 2-byte TOK_ID then a message), not one DER element.
 */
import { type DecodeOptions, decodeTop, type Read, readObjectIdentifier, Tag } from './der.js';
import { DerNode, encObjectIdentifier, toDer } from './der-write.js';

/** A framed GSS-API token: the mechanism OID in dotted text and the mechanism's inner bytes. */
export interface InitialContextToken {
  thisMech: string;
  innerContextToken: Uint8Array;
}

/** Reads an InitialContextToken element. */
export const readInitialContextToken: Read<InitialContextToken> = (r) =>
  r.enter(Tag.Application, '[APPLICATION 0] InitialContextToken', (a) => ({
    thisMech: readObjectIdentifier(a),
    innerContextToken: a.rest(),
  }));

/** DER of an InitialContextToken. */
export function encodeInitialContextToken(v: InitialContextToken): Uint8Array {
  return toDer(
    DerNode.constructed(Tag.Application, [encObjectIdentifier(v.thisMech), DerNode.raw(v.innerContextToken)]),
  );
}

/** InitialContextToken from DER (strict lengths, no trailing bytes). */
export function decodeInitialContextToken(b: Uint8Array, opts?: DecodeOptions): InitialContextToken {
  return decodeTop(b, 'InitialContextToken', readInitialContextToken, opts);
}
