/** RFC 2743 3.1 token framing, and the Kerberos inner token's 2-byte TOK_ID (RFC 4121 4.1, RFC 1964 1.1). */
import { decodeInitialContextToken, encodeInitialContextToken } from '../asn1/index.js';
import { ProtocolError } from '../errors.js';
import { GssMechOid } from './constants.js';

/** A framed token: `60 len 06 len OID inner`, the form of every initial context token. */
export function encodeGssToken(mechOid: string, inner: Uint8Array): Uint8Array {
  return encodeInitialContextToken({ thisMech: mechOid, innerContextToken: inner });
}

/** The mechanism OID and inner bytes of a framed token; Asn1DecodeError when the framing is malformed. */
export function decodeGssToken(b: Uint8Array): { mechOid: string; inner: Uint8Array } {
  const t = decodeInitialContextToken(b);
  return { mechOid: t.thisMech, inner: t.innerContextToken };
}

/** A Kerberos mechanism token: framing with the krb5 OID around TOK_ID (big-endian) and `body`. */
export function encodeKrb5Token(
  tokId: number,
  body: Uint8Array,
  mechOid: string = GssMechOid.KRB5,
): Uint8Array {
  const inner = new Uint8Array(2 + body.length);
  inner[0] = tokId >> 8;
  inner[1] = tokId & 0xff;
  inner.set(body, 2);
  return encodeGssToken(mechOid, inner);
}

/** A decoded Kerberos mechanism token. */
export interface Krb5Token {
  readonly mechOid: string;
  readonly tokId: number;
  readonly body: Uint8Array;
}

/**
 * Unframes a Kerberos mechanism token and checks its OID (krb5, or Microsoft's krb5 OID as Windows may send) and
 * that its TOK_ID is one of `expected`. ProtocolError checks `mech` and `token-id`.
 */
export function decodeKrb5Token(b: Uint8Array, expected: readonly number[]): Krb5Token {
  const { mechOid, inner } = decodeGssToken(b);
  if (mechOid !== GssMechOid.KRB5 && mechOid !== GssMechOid.MS_KRB5) {
    throw new ProtocolError(`token is for mechanism ${mechOid}, not Kerberos`, {
      check: 'mech',
      hint: 'a SPNEGO token (1.3.6.1.5.5.2) must be unwrapped by the SPNEGO layer first',
    });
  }
  if (inner.length < 2) throw new ProtocolError('Kerberos token has no TOK_ID', { check: 'token-id' });
  const tokId = (inner[0]! << 8) | inner[1]!;
  if (!expected.includes(tokId)) {
    const want = expected.map((t) => t.toString(16).padStart(4, '0')).join(' or ');
    throw new ProtocolError(`unexpected TOK_ID ${tokId.toString(16).padStart(4, '0')} (expected ${want})`, {
      check: 'token-id',
    });
  }
  return { mechOid, tokId, body: inner.subarray(2) };
}
