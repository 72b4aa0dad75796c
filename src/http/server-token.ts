/**
 * Accepting the token of an `Authorization: Negotiate` header (RFC 4559 4.2): a SPNEGO NegTokenInit carrying a
 * Kerberos AP-REQ (what browsers and curl send) or a bare krb5 InitialContextToken (what some clients send), one
 * round trip either way. The reply token is the AP-REP, in a NegTokenResp when the request came in SPNEGO.
 */
import { ProtocolError } from '../errors.js';
import { type AcceptorOptions, type AcceptResult, acceptSecContext } from '../gss/acceptor.js';
import { GssMechOid } from '../gss/constants.js';
import { decodeGssToken } from '../gss/framing.js';
import { spnegoAccept } from '../gss/spnego-acceptor.js';

/** Options of {@link acceptNegotiateToken}: the acceptor's (keys, service, replay cache, clock, bindings, KDC keys). */
export type AcceptOptions = AcceptorOptions;

/** An accepted Negotiate token: the acceptor's result, which mechanism framing came in, and the reply token. */
export interface Acceptance extends Omit<AcceptResult, 'outputToken'> {
  /** `spnego` or `krb5`: how the client sent its token. */
  readonly mech: 'spnego' | 'krb5';
  /** What goes back in `WWW-Authenticate: Negotiate <token>` (mutual authentication). */
  readonly outputToken?: Uint8Array | undefined;
}

/**
 * Accepts one Negotiate token. Errors are the acceptor's (ProtocolError naming the check: replay, skew, bindings…;
 * IntegrityError for a ticket the keys do not open), or ProtocolError `negotiate-token` for a token that needs a
 * second round trip (an HTTP Negotiate exchange with Kerberos has one).
 */
export function acceptNegotiateToken(token: Uint8Array, o: AcceptOptions): Acceptance {
  const first = token[0];
  if (first !== 0x60)
    throw new ProtocolError('the Negotiate token is not an initial context token (a later SPNEGO leg?)', {
      check: 'negotiate-token',
    });
  const { mechOid } = decodeGssToken(token);
  if (mechOid === GssMechOid.SPNEGO) {
    const { outputToken, acceptor } = spnegoAccept(token, (t) => acceptSecContext(t, o));
    // HTTP has no second leg: the SPNEGO exchange must complete with this token (RFC 4559 5).
    if (!acceptor.established || acceptor.result === undefined)
      throw new ProtocolError('the SPNEGO token did not complete in one round trip', {
        check: 'negotiate-token',
        hint: 'the client must offer Kerberos first, with its token (optimistic mechToken)',
      });
    return { ...acceptor.result, mech: 'spnego', outputToken };
  }
  if (mechOid !== GssMechOid.KRB5 && mechOid !== GssMechOid.MS_KRB5)
    throw new ProtocolError(`the Negotiate token is for mechanism ${mechOid}, neither SPNEGO nor Kerberos`, {
      check: 'negotiate-token',
      hint: 'NTLM is not supported: the client fell back from Kerberos (no ticket for HTTP/host?)',
    });
  const r = acceptSecContext(token, o);
  return { ...r, mech: 'krb5', outputToken: r.outputToken };
}
