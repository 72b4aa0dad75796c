/** The `Negotiate <base64>` header value of HTTP Negotiate (RFC 4559 4): SPNEGO tokens in Authorization and WWW-Authenticate. */
import { ProtocolError } from '../errors.js';
import { fromBase64, toBase64 } from '../util/bytes.js';

const NEGOTIATE = /^negotiate(?:[ \t]+(\S*))?[ \t]*$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `Negotiate <base64 of token>`, for an Authorization or WWW-Authenticate header. */
export function formatNegotiateHeader(token: Uint8Array): string {
  return `Negotiate ${toBase64(token)}`;
}

/**
 * The token in a `Negotiate <base64>` header value (scheme matched case-insensitively, standard padded base64),
 * or undefined for a bare `Negotiate` (a server's first challenge). ProtocolError check `negotiate-header`.
 */
export function parseNegotiateHeader(value: string): Uint8Array | undefined {
  const m = NEGOTIATE.exec(value.trim());
  if (m === null)
    throw new ProtocolError(`not a Negotiate header value: ${JSON.stringify(value.slice(0, 40))}`, {
      check: 'negotiate-header',
    });
  const b64 = m[1];
  if (b64 === undefined || b64 === '') return undefined;
  if (!BASE64.test(b64))
    throw new ProtocolError('Negotiate token is not standard padded base64', { check: 'negotiate-header' });
  return fromBase64(b64);
}
