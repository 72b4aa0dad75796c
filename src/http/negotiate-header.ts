/**
 * The Negotiate HTTP authentication scheme's headers (RFC 4559 4): `WWW-Authenticate: Negotiate [token]` in a 401 or
 * in the final reply (the acceptor's mutual-authentication token), `Authorization: Negotiate <token>` in a request.
 * Challenges are parsed as RFC 9110 11.6.1 lists them (several schemes per header, quoted parameters).
 */
import { ProtocolError } from '../errors.js';
import { parseNegotiateHeader } from '../gss/spnego-http.js';

/** The scheme name (matched case-insensitively, RFC 9110 11.1). */
export const NEGOTIATE_SCHEME = 'Negotiate';

/** One challenge of a WWW-Authenticate header: its scheme and either a token68 or auth-params. */
export interface AuthChallenge {
  readonly scheme: string;
  /** The token68 (base64 for Negotiate), when the challenge carries one. */
  readonly token68?: string | undefined;
  /** Auth-params (`realm="x"`), names lowercased. */
  readonly params: Readonly<Record<string, string>>;
}

const TCHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/** A small cursor over one header value. */
class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.i >= this.s.length;
  }
  skipSpace(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }
  skipSeparators(): void {
    while (this.i < this.s.length && /[\s,]/.test(this.s[this.i]!)) this.i++;
  }
  token(): string {
    const start = this.i;
    while (this.i < this.s.length && TCHAR.test(this.s[this.i]!)) this.i++;
    return this.s.slice(start, this.i);
  }
  quoted(): string {
    let out = '';
    this.i++; // opening quote
    while (this.i < this.s.length && this.s[this.i] !== '"') {
      if (this.s[this.i] === '\\') this.i++;
      out += this.s[this.i] ?? '';
      this.i++;
    }
    this.i++; // closing quote
    return out;
  }
}

/** True when the cursor stands on `name = ...` (an auth-param), not on the next challenge's scheme. */
function atParam(c: Cursor): boolean {
  const m = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*=(?!=*[ \t]*(,|$))/.exec(c.s.slice(c.i));
  return m !== null;
}

/**
 * Every challenge of one or more WWW-Authenticate values (fetch's Headers joins repeated headers with `, `).
 * Unparseable remainders end the list rather than throw: a server's odd Basic challenge must not hide its Negotiate.
 */
export function parseChallenges(header: string | readonly string[] | null | undefined): AuthChallenge[] {
  if (header === null || header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(', ');
  const c = new Cursor(text);
  const out: AuthChallenge[] = [];
  for (;;) {
    c.skipSeparators();
    if (c.done) return out;
    const scheme = c.token();
    if (scheme === '') return out;
    c.skipSpace();
    const params: Record<string, string> = {};
    let token68: string | undefined;
    if (!c.done && c.s[c.i] !== ',' && !atParam(c)) {
      const m = TOKEN68.exec(c.s.slice(c.i));
      if (m) {
        token68 = m[0];
        c.i += m[0].length;
      }
    } else {
      // auth-params until a token that is not followed by '=' (the next scheme).
      for (;;) {
        c.skipSeparators();
        if (c.done || !atParam(c)) break;
        const name = c.token().toLowerCase();
        c.skipSpace();
        c.i++; // '='
        c.skipSpace();
        params[name] = c.s[c.i] === '"' ? c.quoted() : c.token();
      }
    }
    out.push({ scheme, token68, params });
  }
}

/** What a response says about Negotiate: offered or not, and the token it carries (the mutual-auth reply). */
export interface NegotiateChallenge {
  /** The server offered (or answered with) the Negotiate scheme. */
  readonly offered: boolean;
  /** The decoded token after `Negotiate `, when there is one. */
  readonly token?: Uint8Array | undefined;
}

/**
 * The Negotiate challenge of WWW-Authenticate header values (several schemes may be offered); ProtocolError
 * `negotiate-header` when its token is not base64.
 */
export function negotiateChallengeOf(
  header: string | readonly string[] | null | undefined,
): NegotiateChallenge {
  const ch = parseChallenges(header).find((x) => x.scheme.toLowerCase() === 'negotiate');
  if (ch === undefined) return { offered: false };
  if (ch.token68 === undefined) return { offered: true };
  return { offered: true, token: parseNegotiateHeader(`${NEGOTIATE_SCHEME} ${ch.token68}`) };
}

/**
 * The token of an `Authorization: Negotiate <base64>` header; undefined when the header is absent or names another
 * scheme (Basic, NTLM). ProtocolError `negotiate-header` when the scheme is Negotiate but the token is bad, and
 * `authorization` when it is missing.
 */
export function negotiateTokenOf(authorization: string | undefined): Uint8Array | undefined {
  if (authorization === undefined) return undefined;
  if (!/^\s*negotiate(\s|$)/i.test(authorization)) return undefined;
  const token = parseNegotiateHeader(authorization);
  if (token === undefined)
    throw new ProtocolError('Authorization: Negotiate without a token', { check: 'authorization' });
  return token;
}
