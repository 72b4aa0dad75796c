/**
 * The server side of Negotiate (RFC 4559 4, 5) as a `(req, res, next)` middleware for node:http, Express, Connect
 * and Fastify's middie: a request without a token gets `401` + `WWW-Authenticate: Negotiate`; a SPNEGO or bare krb5
 * token is accepted with the service's keys (replay cache, clock skew, PAC), the AP-REP goes back in the reply's
 * `WWW-Authenticate`, and `req.kerberos` tells the handler who came, with the evidence for constrained delegation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ChannelBindings } from '../gss/channel-bindings.js';
import { MemoryReplayCache } from '../gss/replay-cache.js';
import { formatNegotiateHeader } from '../gss/spnego-http.js';
import { formatPrincipal } from '../messages/principal.js';
import { NEGOTIATE_SCHEME, negotiateTokenOf } from './negotiate-header.js';
import { type Acceptance, type AcceptOptions, acceptNegotiateToken } from './server-token.js';
import { serverEndPointBindings } from './tls-binding.js';

/** What an authenticated request carries as `req.kerberos`. */
export interface KerberosAuth extends Omit<Acceptance, 'outputToken'> {
  /** The client principal as text, `alice@EXAMPLE.COM`. */
  readonly clientName: string;
}

/** A request after {@link negotiate} let it through. */
export type KerberosRequest<R extends IncomingMessage = IncomingMessage> = R & { kerberos: KerberosAuth };

/** Options of {@link negotiate}. */
export interface NegotiateMiddlewareOptions extends Omit<AcceptOptions, 'channelBindings'> {
  /**
   * Channel bindings the client must have used: `tls-server-end-point` (from the certificate this server presents
   * on the request's TLS socket), or a function of the request. Default: none required.
   */
  readonly channelBindings?:
    | 'tls-server-end-point'
    | ((req: IncomingMessage) => ChannelBindings | undefined)
    | undefined;
  /** Told of every refused token (for logs); the client only sees the 401. */
  readonly onRefused?: ((error: unknown, req: IncomingMessage) => void) | undefined;
}

/** The connect-style `next`. */
export type Next = (err?: unknown) => void;

function bindingsOf(o: NegotiateMiddlewareOptions, req: IncomingMessage): ChannelBindings | undefined {
  if (o.channelBindings === undefined) return undefined;
  if (typeof o.channelBindings === 'function') return o.channelBindings(req);
  const own = (req.socket as Partial<TLSSocket>).getCertificate?.();
  if (!own || !('raw' in own)) return undefined;
  return serverEndPointBindings(new Uint8Array(own.raw));
}

/** 401 with the bare challenge (RFC 4559 5: no token in the first challenge). */
function challenge(res: ServerResponse, body = 'Negotiate authentication required\n'): void {
  res.statusCode = 401;
  res.setHeader('WWW-Authenticate', NEGOTIATE_SCHEME);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
}

/**
 * The Negotiate middleware. Each instance keeps one replay cache (in memory unless `replayCache` is given), so a
 * replayed `Authorization` header is refused with 401 like any other bad token.
 */
export function negotiate(
  o: NegotiateMiddlewareOptions,
): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const replayCache = o.replayCache ?? new MemoryReplayCache(o.clock ? { clock: o.clock } : {});
  return (req, res, next) => {
    let token: Uint8Array | undefined;
    try {
      token = negotiateTokenOf(req.headers.authorization);
    } catch (e) {
      o.onRefused?.(e, req);
      challenge(res);
      return;
    }
    if (token === undefined) {
      challenge(res);
      return;
    }
    let accepted: Acceptance;
    try {
      accepted = acceptNegotiateToken(token, { ...o, replayCache, channelBindings: bindingsOf(o, req) });
    } catch (e) {
      o.onRefused?.(e, req);
      challenge(res, 'Negotiate authentication failed\n');
      return;
    }
    const { outputToken, ...auth } = accepted;
    if (outputToken !== undefined) res.setHeader('WWW-Authenticate', formatNegotiateHeader(outputToken));
    const kerberos: KerberosAuth = {
      ...auth,
      clientName: formatPrincipal(auth.client.name, auth.client.realm),
    };
    (req as KerberosRequest).kerberos = kerberos;
    next();
  };
}
